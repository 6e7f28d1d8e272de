//! Random secrets (session cookies, API tokens, CSRF tokens, generated passwords) and the
//! one-way digest under which credentials are stored: the database never holds a usable
//! session or token, only its SHA-256.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a bearer secret.
pub fn digest(secret: &str) -> String {
    let hash = Sha256::digest(secret.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// A password that satisfies the strength rule: 16 characters from an alphabet without
/// look-alikes, always with letters and digits.
pub fn generate_password() -> String {
    const LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = rand::rng();
    let mut pick = |set: &[u8]| {
        set.get(rng.random_range(0..set.len()))
            .copied()
            .unwrap_or(b'x') as char
    };
    let mut out: String = (0..12).map(|_| pick(LETTERS)).collect();
    out.extend((0..4).map(|_| pick(DIGITS)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use bursar_domain::identity::NewPassword;

    #[test]
    fn generated_passwords_pass_the_strength_rule() {
        for _ in 0..100 {
            let p = generate_password();
            assert!(
                NewPassword::parse("password", &p, Some("admin")).is_ok(),
                "{p}"
            );
        }
    }

    #[test]
    fn tokens_are_unique_and_digests_stable() {
        assert_ne!(random_token(), random_token());
        assert_eq!(digest("a"), digest("a"));
        assert_eq!(digest("a").len(), 64);
    }
}
