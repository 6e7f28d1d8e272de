//! Money. An amount is a whole number of its currency's minor unit (cents, kopecks; yen have
//! none), never a float, so sums are exact; it becomes a decimal only when shown.

/// `4200` with 2 minor units → `"42.00"`; `-5` → `"-0.05"`; `700` with 0 → `"700"`.
pub fn format_minor(amount: i64, minor_units: u16) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    let abs = amount.unsigned_abs();
    let places = usize::from(minor_units);
    match 10u64.checked_pow(u32::from(minor_units)) {
        Some(scale) if minor_units > 0 => {
            format!("{sign}{}.{:0places$}", abs / scale, abs % scale)
        }
        _ => format!("{sign}{abs}"),
    }
}

#[cfg(test)]
mod tests {
    use super::format_minor;

    #[test]
    fn amounts_show_with_their_currencys_places() {
        assert_eq!(format_minor(4200, 2), "42.00");
        assert_eq!(format_minor(-5, 2), "-0.05");
        assert_eq!(format_minor(700, 0), "700");
        assert_eq!(format_minor(1_234_567, 3), "1234.567");
        assert_eq!(format_minor(i64::MIN, 2), "-92233720368547758.08");
    }
}
