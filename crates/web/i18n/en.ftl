# Bursar panels: English. Every message id here must also exist in ru.ftl (a unit test
# checks it). Ids are grouped by page; codes from the domain map to ids by prefix
# (error-…, object-…, action-…, conflict-…).

product-name = Bursar
area-admin = Staff panel
area-client = Client area
footer-text = Bursar billing · times in UTC
nav-label = Main menu
language-switch = Interface language
language-en = English
language-ru = Русский
language-name-en = English
language-name-ru = Russian
action-sign-out = Sign out
skip-to-content = Skip to content
quick-search-label = Find a client
quick-search-placeholder = Client: #number, name, e-mail
quick-search-hint = A client number opens the client's card; anything else searches the client list.
quick-search-submit = Find
nav-menu-button = Menu
required-note = Fields marked * are required.
required-mark = required
error-summary-title = The form was not saved. Please correct:
time-placeholder = HH:MM
time-format-hint = 24-hour time, HH:MM (for example 09:00 or 18:30)
action-cancel = Cancel
value-none = not set
value-never = never

## Sign-in
login-title-admin = Sign in to the staff panel
login-title-client = Sign in to your client area
login-intro-admin = For employees of the provider.
login-intro-client = Manage your account, services and payments.
login-field-login = Login or e-mail
login-field-password = Password
login-submit = Sign in
error-invalid-credentials = Wrong login or password. Check them and try again.
error-account-disabled = This account is disabled. Contact the provider’s support.
error-rate-limited = Too many failed attempts. Try again in { $seconds } { $seconds ->
        [one] second
       *[other] seconds
    }.
login-other-admin = Are you a client?
login-other-admin-link = Sign in to the client area
login-other-client = Work for the provider?
login-other-client-link = Sign in to the staff panel

## Dashboard
dashboard-title = Dashboard
dashboard-welcome = Welcome, { $name }
dashboard-lead-admin = Your workplace in Bursar: your account, its latest activity and shortcuts.
dashboard-lead-client = Your client area: your account, its latest activity and shortcuts.
dashboard-account = Your account
dashboard-open-profile = Open profile
dashboard-shortcuts = Shortcuts
dashboard-recent = Recent activity
dashboard-recent-all = All activity
dashboard-recent-empty = Nothing has happened on your account yet.
link-profile = My profile
link-profile-hint = Account details and password
link-tokens = API tokens
link-tokens-hint = Keys for scripts and integrations
link-history = History of all records
link-history-hint = Who changed what, and when
link-api-docs = API documentation
link-api-docs-hint = Every operation of the JSON API

## Account details
account-name = Name
account-login = Login
account-email = E-mail
account-role = Role
account-language = Language
account-since = Account created
role-administrator = Administrator (full access)
role-employee = Employee
role-client-main = Main user of the client
role-client-user = User of the client

## Profile
profile-title = My profile
profile-tabs-label = Profile sections
profile-tab-account = Account
profile-tab-tokens = API tokens
profile-tab-history = History
profile-details = Account details
profile-password-changed = Your password has been changed. Your other sessions were signed out.
password-title = Change password
password-rule = At least 10 characters with a letter and a digit, different from your login. Your other sessions will be signed out.
password-current = Current password
password-new = New password
password-confirm = Repeat the new password
password-submit = Change password
profile-history-title = History of my account
profile-history-intro = Changes to your account and what you did, newest first.
profile-history-empty = Nothing has happened on your account yet.

## API tokens
tokens-title = API tokens
tokens-intro = A token lets a script use the API on your behalf: send it as “Authorization: Bearer …”. It can do at most what you can do.
tokens-new = New token
tokens-empty = You have no API tokens yet.
tokens-col-name = Name
tokens-col-prefix = Starts with
tokens-col-scope = Allowed functions
tokens-col-created = Created
tokens-col-last-used = Last used
tokens-col-expires = Expires
tokens-col-status = Status
tokens-revoke = Revoke
token-revoked = The token has been revoked; it no longer works.
token-scope-all = All my functions
token-status-active = Active
token-status-expired = Expired
token-status-revoked = Revoked { $when }
token-new-title = New API token
token-field-name = Name
token-field-name-example = e.g. Monitoring script
token-field-expires = Expires after (days)
token-field-expires-hint = From 1 to 3650 days. Leave empty for a token that does not expire.
token-field-scope = Allowed functions
token-field-scope-hint = Tick the functions this token may use. Leave all unticked to allow everything you can do, now and later.
token-create = Create token
token-created = The token has been created.
token-created-title = Token “{ $name }”
token-created-warning = Copy the secret now. It is shown only once and cannot be recovered; if you lose it, revoke the token and create a new one.
token-created-secret = Secret
token-created-usage = Send it with every API request in this header:
token-created-done = Done, back to my tokens

## History
history-title = History
history-intro = Every change to every record: who made it, when, from where, and what changed.
history-filter-kind = Record kind
history-filter-id = Record id
history-filter-id-placeholder = Full id of a record
history-filter-apply = Filter
history-filter-reset = Reset
history-kind-any = Any kind
history-empty = No history yet.
history-empty-filtered = No entries match these filters.
history-col-when = When
history-col-actor = Who
history-col-object = Record
history-col-action = Action
history-col-changes = Changes
history-actor-system = System
history-actor-staff = Provider staff
history-actor-deleted = Deleted account
history-actor-as-client = { $login } as the client
error-own-password-in-profile = Change your own password in your profile, which asks for the current one.
history-change-secret = { $field }: changed
object-user = User
object-client = Client
object-api-token = API token
action-create = Created
action-update = Updated
action-change-password = Password changed
action-reset-password = Password reset
action-request-password-reset = Password reset link requested
action-revoke = Revoked
pager-label = Pages
pager-summary = { $first }–{ $last } of { $total }
pager-prev = Previous
pager-next = Next

## Field errors, by the domain's code
error-invalid = Invalid value.
error-required = Required.
error-too-short = Too short.
error-too-long = Too long.
error-invalid-login = Use only latin letters, digits and . _ - @ +
error-invalid-email = Not a valid e-mail address.
error-invalid-characters = Contains characters that are not allowed.
error-weak-password = Too weak: use 10 to 128 characters with at least one letter and one digit, different from your login.
error-mismatch = Does not match the new password.
error-wrong-password = This is not your current password.
error-out-of-range = Outside the allowed range.
error-unknown-function = Contains an unknown function.
error-function-not-held = Contains a function you do not hold.
error-not-a-number = Enter a whole number.
error-malformed = The form could not be read.
error-body-not-object = The body must be a JSON object with the fields named, not an array or a single value.

## Error pages
error-action-home = Go to my start page
error-action-sign-in = Sign in
error-action-reload = Back to the form
error-invalid-title = Check the form
error-validation-failed = Some of the values were not accepted.
error-unauthenticated-title = Please sign in
error-unauthenticated = Your session has ended. Sign in to continue.
error-forbidden-title = Access denied
error-forbidden = You do not have the right to use “{ $function }” ({ $key }). Ask an administrator to grant it.
error-not-found-title = Page not found
error-not-found = There is nothing at this address, or it is not yours to see.
error-conflict-title = Not possible
error-conflict = The change conflicts with the current state of the record.
error-login-taken = This login is already in use.
error-email-taken = This e-mail is already in use.
error-rate-limited-title = Too many attempts
error-busy-title = Busy
error-busy = The service is busy right now. Try again in a moment.
error-internal-title = Something went wrong
error-internal-error = Something went wrong on our side; it has been logged. Try again later.
error-csrf-title = The form has expired
error-csrf-token-invalid = This form has expired or was opened in another session. Reload the page and try again.
error-too-large-title = Too large to accept
error-payload-too-large = What you sent is larger than { $limit }, the most this form accepts. Shorten the text or choose a smaller file, then send it again.
error-bad-address-title = This address cannot be read
error-invalid-path = The address contains characters that are not valid text. Check the link, or start again from your start page.
error-bad-form-title = The form contained invalid characters
error-malformed-form = Some fields contained characters that are not valid text, so nothing was saved. Go back to the form, type those values again and send it.
error-bad-request-title = The request cannot be read
error-bad-request = Your browser sent a request this page cannot read, so nothing was done. Go back and try again.
error-nul-address-title = This address cannot be used
error-nul-address-text = The address contains a null character (%00), which no text may hold, so nothing was done. Check the link or the filter you typed, or start again from your start page.
error-nul-form-title = The form contained a null character
error-nul-form-text = A field contained a null character (U+0000), an invisible character that no text may hold, so nothing was saved. Go back to the form, type that value again and send it.

## Refusals of a request or a field that have no page of their own above, by code
error-nul-byte = Must not contain a null character (U+0000).
error-not-ready = The service is starting or cannot reach its database. Try again in a moment.
error-unsupported-media-type = This type of content is not accepted here.
error-invalid-body = The request body does not have the expected shape.
error-malformed-json = The request body is not valid JSON.
error-unreadable-body = The request body could not be read.
error-invalid-query = The parameters of the address are not valid.
error-invalid-filter = This filter value is not offered.
error-invalid-id = Not a valid identifier.
error-unknown-client = No client has this number.
error-record-changed = A record this change refers to was removed meanwhile. Reload the page and try again.
error-scope-required = A token with a limited scope can only issue tokens within that scope.
error-unknown-language = This language is not offered.
error-avatar-refused = The image was not accepted.
size-kb = { $n } KB
size-mb = { $n } MB

## Forgotten password
pwreset-link = Forgot your password?
pwreset-title = Reset your password
pwreset-intro = Enter your login or e-mail. If an account matches and has an e-mail address, we send it a link to choose a new password. The link works for 30 minutes.
pwreset-submit = Send the link
pwreset-sent = If an account matches, a link to choose a new password is on its way. Check your mailbox, and the spam folder too.
pwreset-back = Back to sign-in
pwreset-new-title = Choose a new password
pwreset-new-intro = At least 10 characters, with a letter and a digit. Every session of the account will be signed out.
pwreset-field-password = New password
pwreset-field-confirmation = Repeat the new password
pwreset-new-submit = Set the password
pwreset-ask-again = Ask for a new link
pwreset-done = Your password has been changed. Sign in with the new one.
error-reset-link-invalid = This link is unknown, used or expired. Ask for a new one.
error-method-title = Not this way
error-method-not-allowed = This address does not open like this: it is the target of a button or a form. Go back and use the button, or start again from your start page.
