//! Datelines for agency stories: "SEOUL, Nov. 29 (Hanbit News) --", shaped by each source's
//! rule from the item's place, the time it was filed (in the paper's zone) and the agency's
//! name. A body that already opens with its own dateline gives it up to the story's dateline
//! field, so readers never see it twice.

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The shape most agencies use, and every new source's until an admin changes it.
pub const DEFAULT_DATELINE_FORMAT: &str = "{PLACE}, {date} ({agency}) --";

/// The longest rule a source may set.
const MAX_FORMAT_CHARS: usize = 100;

const PLACEHOLDERS: [&str; 4] = ["{PLACE}", "{place}", "{date}", "{agency}"];

/// Checks a source's dateline rule: empty (no datelines), or text naming the place
/// (`{PLACE}` in capitals or `{place}` as sent) and any of `{date}` and `{agency}`.
pub fn check_dateline_format(format: &str) -> Result<(), String> {
    let format = format.trim();
    if format.is_empty() {
        return Ok(());
    }
    if format.chars().count() > MAX_FORMAT_CHARS || format.contains(['\n', '\r']) {
        return Err(format!("a dateline rule is one line of at most {MAX_FORMAT_CHARS} characters"));
    }
    let mut rest = format.to_owned();
    for placeholder in PLACEHOLDERS {
        rest = rest.replace(placeholder, "");
    }
    if rest.contains(['{', '}']) {
        return Err(format!(
            "the dateline rule {format:?} names something Dateline does not know; use {{PLACE}}, {{place}}, {{date}} and {{agency}}"
        ));
    }
    if !format.contains("{PLACE}") && !format.contains("{place}") {
        return Err("a dateline rule names the place: {PLACE} (in capitals) or {place} (as the agency sent it)".into());
    }
    Ok(())
}

/// A date as newspapers write it in a dateline: "Nov. 29", "March 3", "Sept. 1" (AP style).
pub fn dateline_date(filed: Timestamp, zone: &TimeZone) -> String {
    let date = filed.to_zoned(zone.clone()).date();
    const MONTHS: [&str; 12] =
        ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."];
    let month = MONTHS.get(usize::try_from(date.month() - 1).unwrap_or(0)).copied().unwrap_or("Jan.");
    format!("{month} {}", date.day())
}

/// The dateline `format` gives for a story filed at `place` at `filed` by `agency`; `None` when
/// the source wants none or the item names no place.
pub fn shape_dateline(format: &str, place: &str, filed: Timestamp, zone: &TimeZone, agency: &str) -> Option<String> {
    let format = format.trim();
    let place = place.split_whitespace().collect::<Vec<_>>().join(" ");
    if format.is_empty() || place.is_empty() {
        return None;
    }
    let shaped = format
        .replace("{PLACE}", &place.to_uppercase())
        .replace("{place}", &place)
        .replace("{date}", &dateline_date(filed, zone))
        .replace("{agency}", agency.trim());
    Some(shaped.chars().take(crate::editing::MAX_DATELINE_CHARS).collect())
}

/// The dateline a body opens with, and the body without it: "SEOUL, Nov. 28 (Yonhap) -- The
/// assembly …" gives "SEOUL, Nov. 28 (Yonhap) --" and "The assembly …". Only a first
/// paragraph that starts with a place in capitals (or `place`, as the item names it), then a
/// comma, and reaches a dash (`--`, `—` or `–`) within a dateline's length counts.
pub fn split_leading_dateline(body: &str, place: Option<&str>) -> Option<(String, String)> {
    let start = body.trim_start();
    let comma = start.find(',')?;
    let lead = &start[..comma];
    let names_place = place.is_some_and(|p| !p.trim().is_empty() && lead.trim().eq_ignore_ascii_case(p.trim()));
    let in_capitals = lead.chars().any(char::is_uppercase) && !lead.chars().any(char::is_lowercase);
    if !(names_place || in_capitals) || lead.chars().count() > 40 {
        return None;
    }
    let window: String = start.chars().take(crate::editing::MAX_DATELINE_CHARS).collect();
    let first_line = window.split('\n').next().unwrap_or_default();
    let (dash_at, dash) = ["--", "—", "–"].iter().filter_map(|d| first_line.find(d).map(|at| (at, *d))).min()?;
    let end = dash_at + dash.len();
    let dateline = start[..end].trim().to_owned();
    let rest = start[end..].trim_start().to_owned();
    (!rest.is_empty()).then_some((dateline, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seoul() -> TimeZone {
        TimeZone::get("Asia/Seoul").expect("zone")
    }

    #[test]
    fn a_dateline_is_shaped_from_place_time_and_agency_in_the_papers_zone() {
        let late_in_utc: Timestamp = "2026-11-28T16:30:00Z".parse().expect("instant");
        assert_eq!(
            shape_dateline(DEFAULT_DATELINE_FORMAT, "Seoul", late_in_utc, &seoul(), "Hanbit News").as_deref(),
            Some("SEOUL, Nov. 29 (Hanbit News) --"),
            "already the 29th in Seoul"
        );
        let september: Timestamp = "2026-09-03T02:00:00Z".parse().expect("instant");
        assert_eq!(
            shape_dateline("{place} ({agency}) —", "Busan", september, &seoul(), "Hanbit News").as_deref(),
            Some("Busan (Hanbit News) —")
        );
        assert_eq!(dateline_date(september, &seoul()), "Sept. 3");
        assert_eq!(shape_dateline("", "Busan", september, &seoul(), "Hanbit"), None, "a source that wants none");
        assert_eq!(shape_dateline(DEFAULT_DATELINE_FORMAT, " ", september, &seoul(), "Hanbit"), None);
    }

    #[test]
    fn a_rule_names_the_place_and_only_what_dateline_knows() {
        assert!(check_dateline_format(DEFAULT_DATELINE_FORMAT).is_ok());
        assert!(check_dateline_format("").is_ok());
        assert!(check_dateline_format("{place}:").is_ok());
        assert!(check_dateline_format("{date} ({agency})").is_err(), "no place");
        assert!(check_dateline_format("{PLACE}, {time}").is_err(), "unknown placeholder");
        assert!(check_dateline_format(&"{PLACE}".repeat(30)).is_err(), "too long");
    }

    #[test]
    fn a_body_that_opens_with_its_dateline_gives_it_up() {
        let (dateline, rest) =
            split_leading_dateline("SEOUL, Nov. 28 (Hanbit News) -- The assembly met.\n\nMore.", None).expect("split");
        assert_eq!(
            (dateline.as_str(), rest.as_str()),
            ("SEOUL, Nov. 28 (Hanbit News) --", "The assembly met.\n\nMore.")
        );
        let (dateline, _) = split_leading_dateline("Mokpo, Nov. 29 — Boats sail.", Some("Mokpo")).expect("named");
        assert_eq!(dateline, "Mokpo, Nov. 29 —");
        assert_eq!(split_leading_dateline("Officials said, after a long night -- nothing.", None), None);
        assert_eq!(split_leading_dateline("SEOUL, Nov. 28. No dash in the first line.\n\n-- later", None), None);
    }
}
