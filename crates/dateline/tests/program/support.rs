//! Running the `dateline` program as an operator would, for the binary's tests.
#![allow(dead_code, reason = "each test file uses a different part")]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub fn dateline() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dateline"));
    command.env("DATELINE_LOG__LEVEL", "warn");
    // Photos' copies in WebP and JPEG only: an unoptimised build takes seconds for each AVIF
    // copy, and every demo these tests start would spend minutes of a core making them. AVIF
    // is tested where it is made (`dateline-media`, the photo privacy test).
    command.env("DATELINE_UPLOADS__PHOTO_FORMATS", "[\"webp\", \"jpeg\"]");
    command
}

/// Runs to the end and returns (success, stdout, stderr).
pub fn run(args: &[&str]) -> (bool, String, String) {
    let output = dateline().args(args).output().expect("run dateline");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A server started as an operator would, stopped when dropped.
pub struct Running {
    child: Child,
    pub base_url: String,
}

impl Running {
    pub fn start(args: &[&str]) -> Running {
        Running::start_with_env(args, &[])
    }

    /// As [`Running::start`], with settings from the environment as an operator may give them.
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Running {
        let mut child = dateline()
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start dateline");
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = BufReader::new(stdout);
        let mut first_line = String::new();
        reader.read_line(&mut first_line).expect("first line");
        // Keep reading what the server says after its first line, as a terminal would.
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        let base_url = first_line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("the first line must announce the address, got {first_line:?}"))
            .to_owned();
        assert!(base_url.starts_with("http://127.0.0.1:") && !base_url.ends_with(":0"), "{base_url}");
        Running { child, base_url }
    }

    /// `dateline serve` on a free port of 127.0.0.1, on `database_url`, with its media (and
    /// other files) in `data_dir`, and settings from `env` as an operator may give them.
    pub fn serve(database_url: &str, data_dir: &std::path::Path, env: &[(&str, &str)]) -> Running {
        let data_dir = data_dir.to_str().expect("a UTF-8 path");
        Running::start_with_env(
            &["serve", "--listen", "127.0.0.1:0", "--database-url", database_url, "--data-dir", data_dir],
            env,
        )
    }

    /// Waits (up to two minutes) until every photo on the page at `path` is offered in its
    /// smaller copies and crops, made in the background after the demo starts: what readers
    /// get a few seconds after a photo comes in.
    pub async fn wait_for_photo_copies(&self, path: &str) {
        for _ in 0..240 {
            let page = self.page(path).await;
            let srcsets = dateline_testkit::attributes(&page, "main img", "srcset");
            if !srcsets.is_empty() && srcsets.iter().all(|s| s.contains("-w320.") || s.contains("-w160.")) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        panic!("the photos on {path} still have no copies after two minutes");
    }

    /// The server's process id, for reading its memory in /proc.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub async fn page(&self, path: &str) -> scraper::Html {
        let response = reqwest::get(format!("{}{path}", self.base_url)).await.expect("request");
        assert_eq!(response.status(), 200, "{path}");
        scraper::Html::parse_document(&response.text().await.expect("body"))
    }
}

impl Running {
    /// A page's text, which must come with `status`.
    pub async fn text(&self, path: &str, status: u16) -> String {
        let response = reqwest::get(format!("{}{path}", self.base_url)).await.expect("request");
        assert_eq!(response.status(), status, "{path}");
        response.text().await.expect("body")
    }

    /// The first story linked from the home page or a section front whose page passes `test`.
    pub async fn find_article(&self, test: impl Fn(&scraper::Html) -> bool) -> String {
        let mut seen = std::collections::HashSet::new();
        for front in ["/", "/national/", "/business/", "/life-style/", "/world/", "/sports/", "/entertainment/"] {
            let page = self.page(front).await;
            for link in dateline_testkit::attributes(&page, "a[href^='/article/']", "href") {
                if seen.insert(link.clone()) && test(&self.page(&link).await) {
                    return link;
                }
            }
        }
        panic!("no demo story matches");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a browser script (`tests/browser/NAME`, run by Node with Playwright on `node_path`)
/// printed, and whether it succeeded.
pub struct BrowserRun {
    pub succeeded: bool,
    pub stdout: String,
    pub stderr: String,
}

pub async fn run_browser_script(node_path: &std::path::Path, name: &str, args: &[String]) -> BrowserRun {
    let script = format!("{}/tests/browser/{name}", env!("CARGO_MANIFEST_DIR"));
    let output = tokio::process::Command::new("node")
        .arg(script)
        .args(args)
        .env("NODE_PATH", node_path)
        .output()
        .await
        .expect("run node");
    BrowserRun {
        succeeded: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
