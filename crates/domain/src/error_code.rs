//! Every stable error code the product emits, in one enum: the `code` of a problem+json
//! answer, of each refused field in its `errors`, and the key by which the panels translate a
//! refusal (`error-<code-with-dashes>` in the catalogue).
//!
//! The codes are a contract with API clients: a variant's string (`as_str`, and what it
//! serialises to) never changes once published; a new refusal gets a new variant. The list is
//! written once, in [`error_codes!`], which generates the enum, its strings and [`ErrorCode::ALL`]
//! so none of them can drift from another (a `strum`-style derive would do the same at the
//! price of a dependency and a proc-macro build).

use serde::{Serialize, Serializer};
use std::fmt;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)+) => {
        /// A stable, machine-readable error code; serialised as its snake_case string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)+
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as the API writes it (`login_taken`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }
        }
    };
}

error_codes! {
    // ---- Refusals of the request as sent (problem codes of the HTTP edge) ----
    /// The address has nothing (404).
    NotFound = "not_found",
    /// No valid session or token (401).
    Unauthenticated = "unauthenticated",
    /// Wrong login or password (401).
    InvalidCredentials = "invalid_credentials",
    /// The account is disabled (403).
    AccountDisabled = "account_disabled",
    /// Too many failed sign-ins (429).
    RateLimited = "rate_limited",
    /// The caller lacks the function (403).
    Forbidden = "forbidden",
    /// The form's CSRF token does not match the session (403).
    CsrfTokenInvalid = "csrf_token_invalid",
    /// One or more fields were refused (422); the fields carry their own codes.
    ValidationFailed = "validation_failed",
    /// The database stayed busy through the retries (503).
    Busy = "busy",
    /// Something unexpected (500); never says what.
    InternalError = "internal_error",
    /// The service is not ready to serve (503).
    NotReady = "not_ready",
    /// The address is not valid UTF-8 once decoded (400).
    InvalidPath = "invalid_path",
    /// A form body is not valid UTF-8 once decoded (400).
    MalformedForm = "malformed_form",
    /// Text holding U+0000.
    NulByte = "nul_byte",
    /// The body is larger than the endpoint takes (413).
    PayloadTooLarge = "payload_too_large",
    /// The body's media type is not the one the endpoint takes (415).
    UnsupportedMediaType = "unsupported_media_type",
    /// The body is well-formed but does not fit the endpoint's shape (422).
    InvalidBody = "invalid_body",
    /// The body is JSON but not an object (an array, a single value) (422).
    BodyNotObject = "body_not_object",
    /// The body is not JSON (400).
    MalformedJson = "malformed_json",
    /// The body could not be read at all (400).
    UnreadableBody = "unreadable_body",
    /// The query string does not fit the endpoint (400).
    InvalidQuery = "invalid_query",
    /// Any other unreadable request (400).
    BadRequest = "bad_request",
    /// The address is not served with this method (405).
    MethodNotAllowed = "method_not_allowed",
    /// A list filter that cannot be applied.
    InvalidFilter = "invalid_filter",
    /// An id in the address or query that is not one.
    InvalidId = "invalid_id",
    /// A client named by the request does not exist.
    UnknownClient = "unknown_client",

    // ---- Conflicts with the records' state (409) ----
    /// A unique value collided with an unnamed constraint.
    Conflict = "conflict",
    /// A record the change refers to was removed meanwhile.
    RecordChanged = "record_changed",
    LoginTaken = "login_taken",
    EmailTaken = "email_taken",
    NameTaken = "name_taken",
    DepartmentNameTaken = "department_name_taken",
    LastFullAccessAccount = "last_full_access_account",
    CannotDeleteYourself = "cannot_delete_yourself",
    CannotDisableYourself = "cannot_disable_yourself",
    InheritedRight = "inherited_right",
    FullAccessHasEveryFunction = "full_access_has_every_function",
    ClientHasPayments = "client_has_payments",
    ClientHasCharges = "client_has_charges",
    /// A debit would take the balance below what the account's credit rules allow.
    InsufficientFunds = "insufficient_funds",
    /// The account owes money past its grace period: no ordering, renewal, tariff change or
    /// service editing until it is paid.
    AccountBlocked = "account_blocked",
    /// The client already has an active personal account with the provider.
    AccountExists = "account_exists",
    /// The personal account is switched off: no money moves through it.
    AccountInactive = "account_inactive",
    /// The client is not connected to the provider.
    ProviderNotConnected = "provider_not_connected",
    /// Only a New payment (an unpaid invoice) may be edited, deleted or credited.
    PaymentNotNew = "payment_not_new",
    /// Only a Paid payment may be refunded.
    PaymentNotPaid = "payment_not_paid",
    /// The amount exceeds what is available (unallocated money of the payment or account).
    ExceedsAvailable = "exceeds_available",
    /// Expenses are deleted newest first.
    ExpenseNotNewest = "expense_not_newest",
    /// The expense was deleted.
    ExpenseDeleted = "expense_deleted",
    /// A validation pattern that does not compile.
    InvalidPattern = "invalid_pattern",
    /// A value that does not have the form its pattern requires.
    PatternMismatch = "pattern_mismatch",
    /// Not a domain name.
    InvalidDomain = "invalid_domain",
    /// An internal name that is not lowercase letters, digits, `_` and `-`.
    InvalidKey = "invalid_key",
    /// A period not offered, or a plan without any period.
    InvalidPeriod = "invalid_period",
    /// A processing module's program or address that cannot be used.
    InvalidModule = "invalid_module",
    /// The product type has tariff plans, so it cannot be deleted.
    ProductTypeInUse = "product_type_in_use",
    /// The tariff plan has services: archive it instead.
    TariffInUse = "tariff_in_use",
    /// The enumeration is used by a parameter or an add-on.
    EnumerationInUse = "enumeration_in_use",
    /// The processing module is used by a product type.
    ModuleInUse = "module_in_use",
    /// No exchange rate joins the plan's currency and the account's on the day.
    NoExchangeRate = "no_exchange_rate",
    /// The same `Idempotency-Key` came with a different request (422).
    IdempotencyKeyReused = "idempotency_key_reused",
    ClientHasActiveServices = "client_has_active_services",
    ProviderHasActiveServices = "provider_has_active_services",
    ProviderInUse = "provider_in_use",
    CurrencyInUse = "currency_in_use",
    ProviderCurrencyLocked = "provider_currency_locked",
    LastProvider = "last_provider",
    MainUser = "main_user",
    ClientAnonymized = "client_anonymized",
    ClientHasNoActiveUser = "client_has_no_active_user",

    // ---- Acts that are not the caller's to do (403) ----
    CannotGrantUnheldFunction = "cannot_grant_unheld_function",
    FullAccessRequired = "full_access_required",
    TargetHasMoreRights = "target_has_more_rights",
    StaffOnly = "staff_only",
    MainUserProtected = "main_user_protected",
    NotWhileImpersonating = "not_while_impersonating",
    MainUserOnly = "main_user_only",

    // ---- Refused fields (in `errors` of a 422) ----
    /// A value that fits none of the more precise codes.
    Invalid = "invalid",
    Required = "required",
    TooShort = "too_short",
    TooLong = "too_long",
    InvalidLogin = "invalid_login",
    InvalidEmail = "invalid_email",
    InvalidCharacters = "invalid_characters",
    WeakPassword = "weak_password",
    Mismatch = "mismatch",
    WrongPassword = "wrong_password",
    OutOfRange = "out_of_range",
    NotANumber = "not_a_number",
    /// A form body the panel could not read.
    Malformed = "malformed",
    OwnPasswordInProfile = "own_password_in_profile",
    ResetLinkInvalid = "reset_link_invalid",
    UnknownFunction = "unknown_function",
    FunctionNotHeld = "function_not_held",
    NotAStaffFunction = "not_a_staff_function",
    NotAClientFunction = "not_a_client_function",
    ScopeRequired = "scope_required",
    ReadOnly = "read_only",
    UnknownDepartment = "unknown_department",
    UnknownTimeZone = "unknown_time_zone",
    UnsupportedLocale = "unsupported_locale",
    UnknownLanguage = "unknown_language",
    InvalidDay = "invalid_day",
    DuplicateDay = "duplicate_day",
    InvalidTime = "invalid_time",
    ClosesBeforeOpening = "closes_before_opening",
    InvalidPhone = "invalid_phone",
    AvatarTooLarge = "avatar_too_large",
    AvatarWrongType = "avatar_wrong_type",
    AvatarDamaged = "avatar_damaged",
    AvatarTooManyPixels = "avatar_too_many_pixels",
    AvatarRefused = "avatar_refused",
    UnknownProvider = "unknown_provider",
    UnknownEmployee = "unknown_employee",
    UnknownGroup = "unknown_group",
    LoginNotAllowed = "login_not_allowed",
    InvalidCountry = "invalid_country",
    InvalidLabel = "invalid_label",
    InvalidCharacteristic = "invalid_characteristic",
    InvalidPayerKind = "invalid_payer_kind",
    InvalidCurrency = "invalid_currency",
    CurrencyDisabled = "currency_disabled",
    /// An amount has more decimal places than its currency.
    TooManyDecimals = "too_many_decimals",
    /// The amount is in another currency than the account's.
    CurrencyMismatch = "currency_mismatch",
    /// The payment method does not exist, is closed, or is not the provider's.
    UnknownPaymentMethod = "unknown_payment_method",
    /// The payer is not the client's.
    UnknownPayer = "unknown_payer",
    /// A credit limit and post-paid services cannot both be on.
    CreditLimitWithPostpaid = "credit_limit_with_postpaid",
    /// An `Idempotency-Key` is not 1–255 visible ASCII characters.
    InvalidIdempotencyKey = "invalid_idempotency_key",
    /// An end (date or instant) before the start.
    EndBeforeStart = "end_before_start",
    /// Another rule of the same level already covers these products at that time.
    OverlappingRule = "overlapping_rule",
    /// A rate expression that is not an operator and a number (`*1.05`).
    InvalidExpression = "invalid_expression",
    /// No running promotion has the promo code.
    UnknownPromoCode = "unknown_promo_code",
    /// The promo code reached its usage limit.
    PromoCodeUsedUp = "promo_code_used_up",
    /// The promotion of the code does not apply to this order.
    PromoCodeNotApplicable = "promo_code_not_applicable",
    /// The plan is archived or closed to the client's group.
    TariffNotAvailable = "tariff_not_available",
    PromoCodeTaken = "promo_code_taken",
    /// A product type id that names no product type.
    UnknownProductType = "unknown_product_type",
    /// The pair already has a rate on this day (409).
    RateExists = "rate_exists",
    /// Not a calendar date such as 2026-12-31 (422).
    InvalidDate = "invalid_date",
    /// A rate's currency is its own base currency (422).
    SameCurrency = "same_currency",
    /// A rate derived, however indirectly, from itself (422).
    DerivationCycle = "derivation_cycle",
}

impl ErrorCode {
    /// The catalogue id of the code's text: `error-` and the code with dashes
    /// (`login_taken` → `error-login-taken`).
    pub fn message_id(self) -> String {
        format!("error-{}", self.as_str().replace('_', "-"))
    }

    /// The code written as `s` (`"login_taken"`), if there is one.
    pub fn parse(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique_snake_case_strings() {
        let mut seen = BTreeSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                !s.is_empty()
                    && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    && !s.starts_with('_')
                    && !s.ends_with('_'),
                "{s} is not snake_case"
            );
        }
    }

    #[test]
    fn codes_serialise_as_their_string() {
        let json = serde_json::to_string(&ErrorCode::LoginTaken).unwrap_or_default();
        assert_eq!(json, "\"login_taken\"");
        assert_eq!(
            ErrorCode::DepartmentNameTaken.message_id(),
            "error-department-name-taken"
        );
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
        }
        assert_eq!(ErrorCode::parse("no_such_code"), None);
    }
}
