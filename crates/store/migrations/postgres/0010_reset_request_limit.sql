-- Password reset requests are counted per address like failed sign-ins: a third scope.
ALTER TABLE login_failures DROP CONSTRAINT login_failures_scope_check;
ALTER TABLE login_failures ADD CONSTRAINT login_failures_scope_check
    CHECK (scope IN ('login', 'ip', 'reset_ip'));
