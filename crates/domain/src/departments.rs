//! Department fields with rules: localized names and business hours (seed 001: the hours
//! feed the support center's response times).

use crate::ErrorCode;
use crate::validation::Invalid;
use serde::{Deserialize, Serialize};

/// One day's opening hours, `HH:MM` to `HH:MM` in the schedule's time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayHours {
    /// `mon` … `sun`.
    pub day: String,
    pub open: String,
    pub close: String,
}

/// A weekly schedule; days not listed are closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// IANA time zone, e.g. `Europe/Moscow`.
    pub time_zone: String,
    pub days: Vec<DayHours>,
}

pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn minutes(hhmm: &str) -> Option<u32> {
    let (h, m) = hhmm.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && (h < 24 || m == 0)).then_some(h * 60 + m)
}

impl BusinessHours {
    /// Monday to Friday, 09:00–18:00, in `time_zone`.
    pub fn office(time_zone: &str) -> Self {
        Self {
            time_zone: time_zone.to_owned(),
            days: WEEKDAYS
                .iter()
                .take(5)
                .map(|d| DayHours {
                    day: (*d).to_owned(),
                    open: "09:00".into(),
                    close: "18:00".into(),
                })
                .collect(),
        }
    }

    /// Checks days and times; the time zone is checked by the caller against the tz database.
    /// Only listed (open) days are checked, and each error names its day's field
    /// (`business_hours.mon`), so a form can mark the row that is wrong.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut invalid = Invalid::default();
        let mut seen = Vec::new();
        for d in &self.days {
            let field = Self::day_field(&d.day);
            if !WEEKDAYS.contains(&d.day.as_str()) {
                invalid.push(
                    "business_hours",
                    ErrorCode::InvalidDay,
                    format!("`{}` is not one of mon … sun", d.day),
                );
                continue;
            } else if seen.contains(&d.day) {
                invalid.push(
                    &field,
                    ErrorCode::DuplicateDay,
                    format!("`{}` is listed twice", d.day),
                );
            }
            seen.push(d.day.clone());
            match (minutes(&d.open), minutes(&d.close)) {
                (Some(o), Some(c)) if o < c => {}
                (Some(_), Some(_)) => invalid.push(
                    &field,
                    ErrorCode::ClosesBeforeOpening,
                    format!("{}: closes before it opens", d.day),
                ),
                _ if d.open.trim().is_empty() || d.close.trim().is_empty() => invalid.push(
                    &field,
                    ErrorCode::Required,
                    format!("{}: an open day needs both times", d.day),
                ),
                _ => invalid.push(
                    &field,
                    ErrorCode::InvalidTime,
                    format!("{}: times must be HH:MM", d.day),
                ),
            }
        }
        invalid.into_result()
    }

    /// The field name errors about one day carry: `business_hours.mon`.
    pub fn day_field(day: &str) -> String {
        format!("business_hours.{day}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_are_checked() {
        assert!(BusinessHours::office("UTC").validate().is_ok());
        let mut h = BusinessHours::office("UTC");
        h.days.push(DayHours {
            day: "mon".into(),
            open: "10:00".into(),
            close: "09:00".into(),
        });
        h.days.push(DayHours {
            day: "funday".into(),
            open: "9".into(),
            close: "24:00".into(),
        });
        let codes: Vec<&str> = h
            .validate()
            .err()
            .map(|e| e.0.iter().map(|f| f.code.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            codes,
            ["duplicate_day", "closes_before_opening", "invalid_day"]
        );
        let fields: Vec<String> = h
            .validate()
            .err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(
            fields.first().map(String::as_str),
            Some("business_hours.mon")
        );
    }
}
