//! Time as readers see it: instants are stored in UTC and shown in the paper's zone, with the
//! paper's own formats (DESIGN.md decision 3).

use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;

/// The paper's zone and formats, fixed for one rendering.
#[derive(Debug, Clone)]
pub struct PaperClock {
    pub zone: TimeZone,
    pub date_line_format: String,
    pub timestamp_format: String,
}

/// An instant ready for a `<time>` element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeView {
    /// ISO 8601 with the zone's offset (`2021-01-24T11:27:00+09:00`), for `datetime=`.
    pub datetime: String,
    /// The paper's timestamp format (`Jan 24, 2021 - 11:27`).
    pub text: String,
}

/// Formats with a pattern an editor wrote; a pattern jiff cannot use falls back to ISO 8601
/// rather than failing the page (settings are checked when saved, so this is a last resort).
fn format_with(pattern: &str, local: &jiff::Zoned, fallback: &str) -> String {
    jiff::fmt::strtime::format(pattern, local)
        .or_else(|_| jiff::fmt::strtime::format(fallback, local))
        .unwrap_or_default()
}

impl PaperClock {
    pub fn time(&self, instant: Timestamp) -> TimeView {
        let local = instant.to_zoned(self.zone.clone());
        TimeView {
            datetime: format_with("%Y-%m-%dT%H:%M:%S%:z", &local, "%Y-%m-%dT%H:%M:%S%:z"),
            text: format_with(&self.timestamp_format, &local, "%Y-%m-%d %H:%M"),
        }
    }

    /// A live post's time: the clock time alone (`13:51`) for a post of the paper's today,
    /// the paper's full timestamp for earlier days.
    pub fn stream_time(&self, instant: Timestamp, now: Timestamp) -> TimeView {
        let local = instant.to_zoned(self.zone.clone());
        let mut view = self.time(instant);
        if local.date() == now.to_zoned(self.zone.clone()).date() {
            view.text = format_with("%H:%M", &local, "%H:%M");
        }
        view
    }

    /// Today's date in the paper's zone, for the date line at the top of every page.
    pub fn date_line(&self, now: Timestamp) -> String {
        format_with(&self.date_line_format, &now.to_zoned(self.zone.clone()), "%Y-%m-%d")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seoul() -> PaperClock {
        PaperClock {
            zone: TimeZone::get("Asia/Seoul").expect("zone"),
            date_line_format: "%Y-%m-%d".into(),
            timestamp_format: "%b %d, %Y - %H:%M".into(),
        }
    }

    #[test]
    fn times_are_shown_in_the_papers_zone_with_its_offset() {
        let instant: Timestamp = "2021-01-24T02:27:00Z".parse().expect("instant");
        assert_eq!(
            seoul().time(instant),
            TimeView { datetime: "2021-01-24T11:27:00+09:00".into(), text: "Jan 24, 2021 - 11:27".into() }
        );
    }

    #[test]
    fn a_live_post_of_today_shows_its_clock_time_and_one_of_yesterday_its_date() {
        let now: Timestamp = "2021-01-24T06:00:00Z".parse().expect("instant");
        let this_morning: Timestamp = "2021-01-24T04:51:00Z".parse().expect("instant");
        let yesterday: Timestamp = "2021-01-23T14:59:00Z".parse().expect("instant");
        assert_eq!(seoul().stream_time(this_morning, now).text, "13:51");
        assert_eq!(seoul().stream_time(yesterday, now).text, "Jan 23, 2021 - 23:59");
    }

    #[test]
    fn the_date_line_turns_over_at_the_papers_midnight() {
        let late_utc: Timestamp = "2021-01-23T15:30:00Z".parse().expect("instant");
        assert_eq!(seoul().date_line(late_utc), "2021-01-24");
    }
}
