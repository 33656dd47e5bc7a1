//! The paper as one file: the Dateline archive, version 1, written by `dateline export` and
//! read by `dateline import` (docs/ARCHIVE.md is the reader's description).
//!
//! An archive is JSON Lines: a header line, then one line per row of the paper's tables (in
//! the order `dateline_storage::ARCHIVE_TABLES` gives), then one line per media file with its
//! bytes in base64, then a closing line that counts the lines before it. The closing line is
//! what tells a whole archive from one cut short in a copy.
//!
//! This module owns the lines: writing them, and reading them back with the line number and
//! the reason for anything wrong. Rows go to and from the database through the storage
//! crate; files through the media store.

use base64::Engine;
use dateline_storage::{archive_table, ArchiveTable, Cell, ColumnKind};
use jiff::Timestamp;
use serde_json::{json, Map, Value};
use std::io::{BufRead, Write};

/// The archive version this program writes and reads.
pub const ARCHIVE_VERSION: u64 = 1;

/// What the first line says about the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub exported_at: Timestamp,
    /// The kind of database it came from, for the reader's information.
    pub from: String,
    /// Whether the users' password hashes are in it (only when asked for).
    pub password_hashes: bool,
}

/// One line of an archive after the header.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Row { table: &'static ArchiveTable, cells: Vec<Cell> },
    File { key: String, bytes: Vec<u8> },
}

/// Something wrong in an archive, and where.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ArchiveError {
    pub line: u64,
    pub reason: String,
}

fn time_text(t: Timestamp) -> String {
    // Fixed width, microseconds, UTC: the same instant is always the same text.
    t.strftime("%Y-%m-%dT%H:%M:%S.%6fZ").to_string()
}

/// Writes an archive line by line.
pub struct ArchiveWriter<W: Write> {
    out: W,
    records: u64,
}

impl<W: Write> ArchiveWriter<W> {
    pub fn start(mut out: W, header: &Header) -> std::io::Result<Self> {
        let line = json!({
            "dateline_archive": ARCHIVE_VERSION,
            "exported_at": time_text(header.exported_at),
            "from": header.from,
            "password_hashes": header.password_hashes,
        });
        writeln!(out, "{line}")?;
        Ok(ArchiveWriter { out, records: 0 })
    }

    pub fn row(&mut self, table: &ArchiveTable, cells: &[Cell]) -> std::io::Result<()> {
        let mut row = Map::new();
        for ((name, _), cell) in table.columns.iter().zip(cells) {
            let value = match cell {
                Cell::Int(v) => v.map(Value::from),
                Cell::Text(v) => v.clone().map(Value::from),
                Cell::Time(v) => v.map(|t| Value::from(time_text(t))),
            };
            row.insert((*name).to_owned(), value.unwrap_or(Value::Null));
        }
        self.line(&json!({ "table": table.name, "row": row }))
    }

    pub fn file(&mut self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        self.line(&json!({ "file": key, "base64": encoded }))
    }

    fn line(&mut self, value: &Value) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, value)?;
        self.out.write_all(b"\n")?;
        self.records += 1;
        Ok(())
    }

    /// Writes the closing line and hands back the output, flushed.
    pub fn finish(mut self) -> std::io::Result<(W, u64)> {
        writeln!(self.out, "{}", json!({ "end": { "records": self.records } }))?;
        self.out.flush()?;
        Ok((self.out, self.records))
    }
}

/// Reads an archive from the start, checking every line; `each` sees every record with its
/// line number and may stop the reading with an error of its own.
pub fn read_archive<R: BufRead, E>(
    mut input: R,
    mut each: impl FnMut(u64, Record) -> Result<(), E>,
) -> Result<Result<Header, E>, ArchiveError> {
    let mut text = String::new();
    let mut line_number = 0u64;
    let mut next_line = |text: &mut String, line_number: &mut u64| -> Result<bool, ArchiveError> {
        text.clear();
        *line_number += 1;
        match input.read_line(text) {
            Ok(0) => Ok(false),
            Ok(_) => Ok(true),
            Err(e) => Err(ArchiveError { line: *line_number, reason: format!("cannot be read: {e}") }),
        }
    };
    if !next_line(&mut text, &mut line_number)? {
        return Err(ArchiveError { line: 1, reason: "the file is empty; it is not a Dateline archive".into() });
    }
    let header = parse_header(&text).map_err(|reason| ArchiveError { line: 1, reason })?;
    let mut records = 0u64;
    loop {
        if !next_line(&mut text, &mut line_number)? {
            return Err(ArchiveError {
                line: line_number,
                reason: "the archive ends without its closing line; it was cut short".into(),
            });
        }
        let fail = |reason: String| ArchiveError { line: line_number, reason };
        if !text.ends_with('\n') {
            // Only a cut-off file ends mid-line: the writer ends every line, the last too.
            return Err(fail("the line is cut off; the archive was cut short".into()));
        }
        let value: Value = serde_json::from_str(&text).map_err(|e| fail(format!("not valid JSON: {e}")))?;
        if let Some(end) = value.get("end") {
            let said = end.get("records").and_then(Value::as_u64);
            if said != Some(records) {
                return Err(fail(format!(
                    "the closing line counts {} records, but {records} came before it; lines are missing",
                    said.map_or("no".to_owned(), |n| n.to_string())
                )));
            }
            if next_line(&mut text, &mut line_number)? && !text.trim().is_empty() {
                return Err(ArchiveError { line: line_number, reason: "there is more after the closing line".into() });
            }
            return Ok(Ok(header));
        }
        let record = parse_record(value).map_err(fail)?;
        records += 1;
        if let Err(stop) = each(line_number, record) {
            return Ok(Err(stop));
        }
    }
}

fn parse_header(text: &str) -> Result<Header, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("not a Dateline archive: the first line is not JSON ({e})"))?;
    let version = value
        .get("dateline_archive")
        .and_then(Value::as_u64)
        .ok_or("not a Dateline archive: the first line has no \"dateline_archive\" version")?;
    if version != ARCHIVE_VERSION {
        return Err(format!(
            "this is a version {version} archive; this program reads version {ARCHIVE_VERSION} (use a matching dateline)"
        ));
    }
    let exported_at = value
        .get("exported_at")
        .and_then(Value::as_str)
        .and_then(|t| t.parse().ok())
        .ok_or("the header's \"exported_at\" is not an instant")?;
    Ok(Header {
        exported_at,
        from: value.get("from").and_then(Value::as_str).unwrap_or_default().to_owned(),
        password_hashes: value.get("password_hashes").and_then(Value::as_bool).unwrap_or(false),
    })
}

fn parse_record(value: Value) -> Result<Record, String> {
    let Value::Object(mut line) = value else { return Err("a line must be a JSON object".into()) };
    if let Some(key) = line.remove("file") {
        let key = key.as_str().filter(|k| !k.is_empty()).ok_or("\"file\" must name the file")?.to_owned();
        let encoded = line.remove("base64").ok_or_else(|| format!("the file {key} has no \"base64\" bytes"))?;
        let bytes = encoded
            .as_str()
            .and_then(|text| base64::engine::general_purpose::STANDARD.decode(text).ok())
            .ok_or_else(|| format!("the bytes of {key} are not valid base64"))?;
        return Ok(Record::File { key, bytes });
    }
    let name = line.remove("table").ok_or("the line is neither a row (\"table\"), a file nor the end")?;
    let name = name.as_str().ok_or("\"table\" must be a table's name")?;
    let table = archive_table(name).ok_or_else(|| format!("there is no table {name:?} in a Dateline archive"))?;
    let Some(Value::Object(mut row)) = line.remove("row") else {
        return Err(format!("a row of {name} needs a \"row\" object"));
    };
    let mut cells = Vec::with_capacity(table.columns.len());
    for (column, kind) in table.columns {
        let value = match (row.remove(*column), kind) {
            (Some(value), _) => value,
            (None, ColumnKind::Flag) => Value::from(0),
            (None, ColumnKind::AddedInt(default)) => Value::from(*default),
            (None, ColumnKind::AddedText(default)) => default.map_or(Value::Null, Value::from),
            (None, _) => return Err(format!("the {name} row has no value for {column:?}")),
        };
        let wrong = |wanted: &str| format!("{name}.{column} must be {wanted} or null, not {value}");
        cells.push(match kind {
            ColumnKind::Int | ColumnKind::Flag | ColumnKind::AddedInt(_) => Cell::Int(match &value {
                Value::Null => None,
                other => Some(other.as_i64().ok_or_else(|| wrong("a whole number"))?),
            }),
            ColumnKind::Text | ColumnKind::AddedText(_) => Cell::Text(match &value {
                Value::Null => None,
                Value::String(text) => Some(text.clone()),
                _ => return Err(wrong("text")),
            }),
            ColumnKind::Time => Cell::Time(match &value {
                Value::Null => None,
                Value::String(text) => Some(text.parse().map_err(|_| wrong("an RFC 3339 instant"))?),
                _ => return Err(wrong("an RFC 3339 instant")),
            }),
        });
    }
    if let Some(extra) = row.keys().next() {
        return Err(format!("{name} has no column {extra:?}"));
    }
    Ok(Record::Row { table, cells })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            exported_at: "2026-11-28T10:00:00Z".parse().expect("instant"),
            from: "sqlite".into(),
            password_hashes: false,
        }
    }

    fn sample() -> Vec<u8> {
        let table = archive_table("topics").expect("topics");
        let mut writer = ArchiveWriter::start(Vec::new(), &header()).expect("header");
        let cells = [
            Cell::Int(Some(1)),
            Cell::Text(Some("floods".into())),
            Cell::Text(Some("Floods".into())),
            Cell::Text(Some(String::new())),
        ];
        writer.row(table, &cells).expect("row");
        writer.file("2026/11/photo.jpg", b"\xff\xd8 not really a photo").expect("file");
        writer.finish().expect("end").0
    }

    fn read(bytes: &[u8]) -> Result<Vec<Record>, ArchiveError> {
        let mut records = Vec::new();
        read_archive(bytes, |_, record| {
            records.push(record);
            Ok::<_, ()>(())
        })?
        .expect("nothing stops the reading");
        Ok(records)
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let records = read(&sample()).expect("a whole archive");
        assert_eq!(records.len(), 2);
        assert!(
            matches!(&records[0], Record::Row { table, cells } if table.name == "topics" && cells[1] == Cell::Text(Some("floods".into())))
        );
        assert_eq!(
            records[1],
            Record::File { key: "2026/11/photo.jpg".into(), bytes: b"\xff\xd8 not really a photo".to_vec() }
        );
    }

    #[test]
    fn an_archive_cut_anywhere_is_refused_with_the_line_it_stops_at() {
        let whole = sample();
        for cut in 1..whole.len() {
            let error = read(&whole[..cut]).expect_err("a cut archive is never whole");
            assert!(error.line >= 1 && error.line <= 4, "cut at {cut}: {error}");
        }
    }

    #[test]
    fn a_wrong_value_names_the_line_the_table_and_the_column() {
        let text = String::from_utf8(sample()).expect("text").replace("\"slug\":\"floods\"", "\"slug\":7");
        let error = read(text.as_bytes()).expect_err("slug must be text");
        assert_eq!(error.line, 2);
        assert!(error.reason.contains("topics.slug"), "{error}");
        let text = String::from_utf8(sample()).expect("text").replace("\"table\":\"topics\"", "\"table\":\"gossip\"");
        assert!(read(text.as_bytes()).expect_err("unknown table").reason.contains("gossip"));
        let text = String::from_utf8(sample()).expect("text").replace("\"records\":2", "\"records\":3");
        assert!(read(text.as_bytes()).expect_err("a miscount").reason.contains("missing"));
        let text =
            String::from_utf8(sample()).expect("text").replace("\"dateline_archive\":1", "\"dateline_archive\":9");
        assert!(read(text.as_bytes()).expect_err("a newer version").reason.contains("version 9"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2_000, ..Default::default() })]

        /// A whole archive with one line replaced by anything at all (or any bytes cut in) is
        /// read to the end or refused with a line number; nothing panics, and what is refused
        /// names a line of the file.
        #[test]
        fn an_archive_with_any_line_changed_is_read_or_refused_by_line(
            line in 0usize..4,
            junk in "(\\PC|\\{|\\}|\\[|\\]|\"|:|,){0,120}",
            cells in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
        ) {
            let whole = String::from_utf8(sample()).expect("UTF-8");
            let mut lines: Vec<String> = whole.lines().map(str::to_owned).collect();
            let at = line.min(lines.len() - 1);
            lines[at] = junk;
            let mut bytes = (lines.join("\n") + "\n").into_bytes();
            bytes.extend(cells);
            match read(&bytes) {
                Ok(records) => proptest::prop_assert!(records.len() <= 2),
                Err(error) => proptest::prop_assert!(error.line >= 1 && error.line as usize <= bytes.len() + 1, "{error}"),
            }
        }
    }
}
