# Panel texts for the staff pages (English): Provider → Staff and Departments, permission
# trees, and the staff side of clients' orders (seed 000). Every id here must also exist in
# ru-staff.ftl. Ids of this area start with dept-, staff-, perm-, clientlist-, order(s)-;
# field-error texts proper to it are staff-error-<code> (see pages/staff/mod.rs).

## Shared by the staff pages
staff-yes = Yes
staff-no = No
staff-col-actions = Actions
staff-action-edit = Edit
staff-action-delete = Delete
staff-action-delete-confirm = Yes, delete
staff-action-enable = Enable
staff-action-disable = Disable
staff-back-to-list = Back to the list
perm-open = Permissions
object-department = Department
action-permissions = Permissions changed

## Departments
dept-title = Departments
dept-intro = Each department grants its members a set of functions. A new department grants none.
dept-new = Add department
dept-empty = There are no departments yet.
dept-col-name = Name
dept-col-members = Members
dept-col-functions = Functions
dept-col-hours = Business hours
dept-col-support = Support center
dept-col-task-language = Task language
dept-functions-count = { $count ->
        [0] no functions
        [one] { $count } function
       *[other] { $count } functions
    }
dept-delete-confirm = Delete the department “{ $name }”? Its members keep their accounts but lose the functions it granted.
dept-created = The department has been created. Enable its functions on its permissions page.
dept-saved = The department has been saved.
dept-deleted = The department has been deleted.
dept-new-title = New department
dept-edit-title = Department “{ $name }”
dept-create = Create department
dept-save = Save
dept-field-name-en = Name in English
dept-field-name-ru = Name in Russian
dept-field-name-hint = Users see the name in their language.
dept-field-hours = Business hours
dept-field-hours-hint = Used by the support center to compute response times. Times are 24-hour, HH:MM. Untick the days the department is closed.
dept-field-time-zone = Time zone
dept-field-time-zone-hint = Start typing a city, e.g. Europe/Berlin, and choose from the list.
dept-col-day = Day
dept-col-open = Open
dept-col-from = From
dept-col-to = To
dept-hours-closed = Closed
dept-field-support = Show in the support center
dept-field-support-hint = Clients can address their requests to this department.
dept-field-task-language = Task language
dept-field-task-language-hint = The language of tasks the system generates for this department’s staff.
dept-day-mon = Monday
dept-day-tue = Tuesday
dept-day-wed = Wednesday
dept-day-thu = Thursday
dept-day-fri = Friday
dept-day-sat = Saturday
dept-day-sun = Sunday
dept-day-short-mon = Mon
dept-day-short-tue = Tue
dept-day-short-wed = Wed
dept-day-short-thu = Thu
dept-day-short-fri = Fri
dept-day-short-sat = Sat
dept-day-short-sun = Sun

## Permission trees
perm-title = Permissions
perm-saved = Permissions saved.
perm-dept-heading = Permissions of the department “{ $name }”
perm-dept-lead = Members of the department may use every enabled function. Enable or disable a whole section, or one function.
perm-staff-heading = Permissions of { $name }
perm-staff-lead = Rights inherited from the employee’s departments cannot be removed here, only added to: enable a function to grant it to this employee alone.
perm-col-function = Section or function
perm-col-state = State
perm-col-source = Source
perm-enable = Enable
perm-disable = Disable
perm-state-enabled = Enabled
perm-state-partial = Partial
perm-state-disabled = Disabled
perm-source-full-access = Full access
perm-source-inherited = Inherited from { $departments }
perm-source-individual = Individual
perm-source-off = Off
perm-full-access-notice = This employee has full access: every function is enabled and individual rights do not apply. Remove full access on the employee’s form to manage rights one by one.
perm-disabled-notice = This account is disabled: whatever is enabled here, the employee cannot sign in until the account is enabled again.
perm-explain-title = Why may they (not)?
perm-explain-intro = Choose a function to see whether this employee may use it, and why.
perm-explain-function = Function
perm-explain-submit = Explain
perm-explain-allowed = Allowed: “{ $function }”
perm-explain-denied = Not allowed: “{ $function }”
perm-explain-choose = Choose a function from the list.
perm-reason-full-access = Because the employee has full access.
perm-reason-inherited = Because it is granted to the department { $departments }.
perm-reason-individual = Because it was granted to this employee individually.
perm-reason-off = Because none of the employee’s departments grants it and it was not granted individually.
perm-reason-public = Because it is open to everyone.
perm-reason-every-signed-in-user = Because every signed-in user may use it.
perm-reason-account-disabled = Because the account is disabled.
perm-reason-not-a-staff-function = Because it is a function of the client area, not of the staff panel.

## Staff
staff-title = Staff
staff-intro = Employees of the provider. Each may use the functions of their departments plus the ones granted to them individually.
staff-new = Add employee
staff-filter-text = Search
staff-filter-text-placeholder = Login, name or e-mail
staff-filter-department = Department
staff-filter-department-any = Any department
staff-filter-status = Status
staff-status-any = Any status
staff-status-active = Active
staff-status-disabled = Disabled
staff-empty = There are no employees yet.
staff-empty-filtered = No employees match these filters.
staff-col-employee = Employee
staff-col-departments = Departments
staff-col-contacts = Contacts
staff-col-status = Status
staff-full-access = Full access
staff-delete-confirm = Delete the employee “{ $name }”? They will no longer be able to sign in; their history stays.
staff-created = The employee has been created.
staff-saved = The employee has been saved.
staff-enabled = The employee has been enabled.
staff-disabled = The employee has been disabled and signed out everywhere.
staff-deleted = The employee has been deleted.
staff-new-title = New employee
staff-edit-title = Employee { $name }
staff-create = Create employee
staff-save = Save
staff-field-login = Login
staff-field-login-hint = Used to sign in. Latin letters, digits and . _ - @ +
staff-field-login-fixed = (cannot be changed)
staff-field-name = Full name in English
staff-field-name-ru = Full name in Russian
staff-field-password = Password
staff-field-password-hint = Leave empty to generate a strong password, shown once after saving.
staff-field-new-password = New password
staff-field-new-password-hint = Leave empty to keep the current password. A new one signs the employee out everywhere.
staff-field-departments = Departments
staff-field-departments-hint = The employee gets every function these departments grant.
staff-field-email = E-mail
staff-field-phone = Phone
staff-field-phone-hint = International format with the country code, e.g. +44 20 7946 0958.
staff-field-language = Interface language
staff-field-full-access = Full access
staff-field-full-access-hint = Every function of the staff panel, now and in future versions. Only for administrators.
staff-field-active = Account enabled
staff-field-active-hint = A disabled employee cannot sign in; their sessions end at once.
staff-avatar-title = Avatar
staff-avatar-saved = The avatar has been saved.
staff-avatar-current = Current avatar
staff-avatar-field = Image file
staff-avatar-hint = PNG, JPEG or GIF, at most 80×80 pixels and 64 KB.
staff-avatar-upload = Upload
staff-avatar-remove = Remove avatar
staff-avatar-removed = The avatar has been removed.
staff-avatar-missing = Choose an image file to upload.
staff-password-once = Copy this password now and give it to the employee. It is shown only once; if it is lost, set a new one on the employee’s form.
staff-password-generated = Generated password
staff-created-permissions = Set permissions
staff-created-done = Done, back to staff

## Field errors of this area, by the use cases' code
error-avatar-too-large = The image is larger than the 64 KB limit.
error-avatar-wrong-type = Only PNG, JPEG or GIF images are accepted.
error-avatar-damaged = The image is cut short or damaged. Save it again and upload the whole file.
error-avatar-too-many-pixels = The image is larger than the 80×80 pixel limit.
error-unknown-department = One of the departments no longer exists. Reload the form.
error-unknown-time-zone = Unknown time zone. Use a name such as Europe/Moscow or UTC.
error-invalid-day = Unknown day of the week.
error-duplicate-day = A day is listed twice.
error-closes-before-opening = On an open day the closing time must be later than the opening time.
error-invalid-time = Enter the opening and closing times of every open day as HH:MM.
error-not-a-staff-function = This function cannot be granted to staff.

## Refusals and conflicts of this area, by code
error-cannot-grant-unheld-function = You cannot grant or remove functions you do not hold yourself.
error-full-access-required = Only an employee with full access can grant full access or change a full-access account.
error-last-full-access-account = This is the last active account with full access; it must stay enabled and keep full access.
error-cannot-delete-yourself = You cannot delete your own account.
error-cannot-disable-yourself = You cannot disable your own account.
error-inherited-right = This right is inherited from a department and cannot be removed for one employee. Change the department’s permissions or the employee’s departments instead.
error-department-name-taken = A department with this name already exists.
error-full-access-has-every-function = This employee has full access, so individual rights do not apply.

## Clients → Clients (staff side)
clientlist-title = Clients
clientlist-intro = Open a client to see its card, or its orders.
clientlist-search = Search
clientlist-search-placeholder = Name, e-mail, login or #number
clientlist-empty = There are no clients yet.
clientlist-col-number = No.
clientlist-col-name = Client
clientlist-col-status = Status
clientlist-col-registered = Registered
clientlist-status-active = Active
clientlist-status-inactive = Inactive

## A client's orders (seed 000)
orders-title = Orders
orders-intro = Order history of { $client }
orders-create = Create order
orders-col-id = Order
orders-col-date = Date and time
orders-col-provider = Provider
orders-col-status = Status
orders-empty = This client has no orders yet.
order-new-title = New order
order-new-intro = Placing an order for { $client }
order-steps = Order steps
order-step-provider = 1. Provider
order-step-tariff = 2. Tariff
order-step-confirm = 3. Confirmation
order-field-provider = Select a provider
order-no-providers = The client is not connected to any provider yet, so nothing can be ordered for them.
order-back = Back to orders
order-rights-hint = The order is placed with the client’s rights: tariffs unavailable to the client stay unavailable. The client pays for it themselves.
order-providers-need-card = The client’s providers are shown on the client card, which needs the right “Client list and client card”. Ask an administrator to grant it.
order-next = Next
order-choose-provider = Choose one of the client’s providers.
order-catalogue-notice = Provider selected. Choosing a tariff arrives with the product catalogue; nothing has been ordered.
error-target-has-more-rights = This employee holds rights you do not; only someone who holds them all can change their password, disable or delete them.
clientlist-new = Add client
