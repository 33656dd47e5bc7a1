//! The theme: Jinja templates and static assets. The default theme is compiled into the
//! binary; a folder named in the operator config may override any template or asset file by
//! file (DESIGN.md decision 4). Everything is read and compiled at start, so a broken
//! override stops the program with its file name instead of failing a reader's request.

use minijinja::Environment;
use serde::Serialize;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The default theme's templates; `docs/THEMES.md` documents each and what it receives.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../themes/default/templates/base.html")),
    ("macros.html", include_str!("../../../themes/default/templates/macros.html")),
    ("home.html", include_str!("../../../themes/default/templates/home.html")),
    ("article.html", include_str!("../../../themes/default/templates/article.html")),
    ("live_post.html", include_str!("../../../themes/default/templates/live_post.html")),
    ("section.html", include_str!("../../../themes/default/templates/section.html")),
    ("author.html", include_str!("../../../themes/default/templates/author.html")),
    ("topic.html", include_str!("../../../themes/default/templates/topic.html")),
    ("topics.html", include_str!("../../../themes/default/templates/topics.html")),
    ("podcasts.html", include_str!("../../../themes/default/templates/podcasts.html")),
    ("podcast.html", include_str!("../../../themes/default/templates/podcast.html")),
    ("page.html", include_str!("../../../themes/default/templates/page.html")),
    ("corrections.html", include_str!("../../../themes/default/templates/corrections.html")),
    ("search.html", include_str!("../../../themes/default/templates/search.html")),
    ("newsletters.html", include_str!("../../../themes/default/templates/newsletters.html")),
    ("newsletter.html", include_str!("../../../themes/default/templates/newsletter.html")),
    ("newsletter_edition.html", include_str!("../../../themes/default/templates/newsletter_edition.html")),
    ("newsletter/email.html", include_str!("../../../themes/default/templates/newsletter/email.html")),
    ("newsletter/email.txt", include_str!("../../../themes/default/templates/newsletter/email.txt")),
    ("newsletter/confirm.html", include_str!("../../../themes/default/templates/newsletter/confirm.html")),
    ("newsletter/confirm.txt", include_str!("../../../themes/default/templates/newsletter/confirm.txt")),
    ("error.html", include_str!("../../../themes/default/templates/error.html")),
    ("desk/base.html", include_str!("../../../themes/default/templates/desk/base.html")),
    ("desk/sign_in.html", include_str!("../../../themes/default/templates/desk/sign_in.html")),
    ("desk/kept.html", include_str!("../../../themes/default/templates/desk/kept.html")),
    ("desk/confirm.html", include_str!("../../../themes/default/templates/desk/confirm.html")),
    ("desk/bulk.html", include_str!("../../../themes/default/templates/desk/bulk.html")),
    ("desk/photo_picker.html", include_str!("../../../themes/default/templates/desk/photo_picker.html")),
    ("desk/budget.html", include_str!("../../../themes/default/templates/desk/budget.html")),
    ("desk/plan.html", include_str!("../../../themes/default/templates/desk/plan.html")),
    ("desk/plan_fields.html", include_str!("../../../themes/default/templates/desk/plan_fields.html")),
    ("desk/resume.html", include_str!("../../../themes/default/templates/desk/resume.html")),
    ("desk/home.html", include_str!("../../../themes/default/templates/desk/home.html")),
    ("desk/editor.html", include_str!("../../../themes/default/templates/desk/editor.html")),
    ("desk/history.html", include_str!("../../../themes/default/templates/desk/history.html")),
    ("desk/live.html", include_str!("../../../themes/default/templates/desk/live.html")),
    ("desk/live_post_history.html", include_str!("../../../themes/default/templates/desk/live_post_history.html")),
    ("desk/diff.html", include_str!("../../../themes/default/templates/desk/diff.html")),
    ("desk/front_page.html", include_str!("../../../themes/default/templates/desk/front_page.html")),
    ("desk/sections.html", include_str!("../../../themes/default/templates/desk/sections.html")),
    ("desk/settings.html", include_str!("../../../themes/default/templates/desk/settings.html")),
    ("desk/authors.html", include_str!("../../../themes/default/templates/desk/authors.html")),
    ("desk/api_keys.html", include_str!("../../../themes/default/templates/desk/api_keys.html")),
    ("desk/webhooks.html", include_str!("../../../themes/default/templates/desk/webhooks.html")),
    ("desk/partners.html", include_str!("../../../themes/default/templates/desk/partners.html")),
    ("desk/newsletters.html", include_str!("../../../themes/default/templates/desk/newsletters.html")),
    ("desk/podcasts.html", include_str!("../../../themes/default/templates/desk/podcasts.html")),
    ("desk/podcast.html", include_str!("../../../themes/default/templates/desk/podcast.html")),
    ("desk/show_fields.html", include_str!("../../../themes/default/templates/desk/show_fields.html")),
    ("desk/episode_fields.html", include_str!("../../../themes/default/templates/desk/episode_fields.html")),
    ("desk/episode.html", include_str!("../../../themes/default/templates/desk/episode.html")),
    ("desk/video.html", include_str!("../../../themes/default/templates/desk/video.html")),
    ("desk/newsletter.html", include_str!("../../../themes/default/templates/desk/newsletter.html")),
    ("desk/edition.html", include_str!("../../../themes/default/templates/desk/edition.html")),
    ("desk/newsletter_fields.html", include_str!("../../../themes/default/templates/desk/newsletter_fields.html")),
    ("desk/topics.html", include_str!("../../../themes/default/templates/desk/topics.html")),
    ("desk/wire.html", include_str!("../../../themes/default/templates/desk/wire.html")),
    ("desk/wire_sources.html", include_str!("../../../themes/default/templates/desk/wire_sources.html")),
    ("desk/pages.html", include_str!("../../../themes/default/templates/desk/pages.html")),
    ("desk/users.html", include_str!("../../../themes/default/templates/desk/users.html")),
    ("desk/photos.html", include_str!("../../../themes/default/templates/desk/photos.html")),
    ("desk/photo.html", include_str!("../../../themes/default/templates/desk/photo.html")),
];

const DEFAULT_ASSETS: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../../themes/default/static/style.css")),
    ("desk.css", include_bytes!("../../../themes/default/static/desk.css")),
    // The live page's updates and the desk's posting box; both pages work without them.
    ("live.js", include_bytes!("../../../themes/default/static/live.js")),
    ("video.js", include_bytes!("../../../themes/default/static/video.js")),
    ("desk-live.js", include_bytes!("../../../themes/default/static/desk-live.js")),
    ("desk-photo.js", include_bytes!("../../../themes/default/static/desk-photo.js")),
    ("desk-photo-picker.js", include_bytes!("../../../themes/default/static/desk-photo-picker.js")),
    ("desk-editor.js", include_bytes!("../../../themes/default/static/desk-editor.js")),
    ("desk-writing.js", include_bytes!("../../../themes/default/static/desk-writing.js")),
    // The publisher's logo in structured data; a newsroom replaces it with its own.
    ("logo.png", include_bytes!("../../../themes/default/static/logo.png")),
    ("favicon.png", include_bytes!("../../../themes/default/static/favicon.png")),
];

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("cannot read the theme file {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("the template {name} has an error: {reason}")]
    Template { name: String, reason: String },
    #[error("rendering {name} failed: {reason}")]
    Render { name: String, reason: String },
}

/// A static file of the theme, served under a name that carries a hash of its content so it
/// can be cached for a year.
#[derive(Debug, Clone)]
pub struct Asset {
    pub name: String,
    pub hashed_name: String,
    pub content_type: &'static str,
    pub bytes: Cow<'static, [u8]>,
}

#[derive(Debug)]
pub struct Theme {
    env: Environment<'static>,
    assets: Vec<Asset>,
}

/// Text made safe to print in HTML: the five characters HTML needs escaped, and nothing more.
/// Control characters are errors in HTML; a pasted one must not reach readers.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    escape_html_into(&mut escaped, text).unwrap_or_default();
    escaped
}

/// [`escape_html`] written straight into `out`: the text between the characters that need
/// care is copied in runs, not a character at a time (the theme escapes every value of
/// every page this way).
pub fn escape_html_into(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let (replacement, width): (&str, usize) = match byte {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            b'\t' | b'\n' | b'\r' => {
                index += 1;
                continue;
            }
            0x00..=0x1f | 0x7f => ("", 1),
            // U+0080 to U+009F, the C1 controls, are 0xC2 0x80 to 0xC2 0x9F in UTF-8.
            0xc2 if bytes.get(index + 1).is_some_and(|next| (0x80..=0x9f).contains(next)) => ("", 2),
            _ => {
                index += 1;
                continue;
            }
        };
        out.write_str(&text[run_start..index])?;
        out.write_str(replacement)?;
        index += width;
        run_start = index;
    }
    out.write_str(&text[run_start..])
}

/// Escapes with [`escape_html`]: the default formatter also escapes `/`, which bloats every
/// URL in a page without making it safer.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    match value.as_str() {
        Some(text) if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() => {
            escape_html_into(out, text)
                .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

fn content_hash(bytes: &[u8]) -> String {
    // FNV-1a: stable across builds and platforms, which std's hasher does not promise.
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")[..12].to_owned()
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn hashed(name: &str, bytes: &[u8]) -> String {
    let hash = content_hash(bytes);
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

/// Files in `folder` and its direct subfolders, named by their path relative to it with `/`
/// (`desk/base.html`). A missing folder holds nothing.
fn files_below(folder: &Path) -> Result<Vec<(String, PathBuf)>, ThemeError> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(folder) else { return Ok(found) };
    for entry in entries {
        let entry = entry.map_err(|e| ThemeError::Read { path: folder.to_owned(), reason: e.to_string() })?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_file() {
            found.push((name, path));
        } else if path.is_dir() {
            let inner =
                std::fs::read_dir(&path).map_err(|e| ThemeError::Read { path: path.clone(), reason: e.to_string() })?;
            for file in inner.flatten().filter(|f| f.path().is_file()) {
                found.push((format!("{name}/{}", file.file_name().to_string_lossy()), file.path()));
            }
        }
    }
    Ok(found)
}

fn read(path: &Path) -> Result<Vec<u8>, ThemeError> {
    std::fs::read(path).map_err(|e| ThemeError::Read { path: path.to_owned(), reason: e.to_string() })
}

impl Theme {
    /// The default theme, with the files found in `override_dir/templates/` and
    /// `override_dir/static/` taking the place of the default ones of the same name.
    pub fn load(override_dir: Option<&Path>) -> Result<Theme, ThemeError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        env.set_formatter(html_formatter);
        let mut asset_files: Vec<(String, Cow<'static, [u8]>)> =
            DEFAULT_ASSETS.iter().map(|(n, b)| ((*n).to_owned(), Cow::Borrowed(*b))).collect();
        let mut templates: Vec<(String, Cow<'static, str>)> =
            DEFAULT_TEMPLATES.iter().map(|(n, s)| ((*n).to_owned(), Cow::Borrowed(*s))).collect();

        if let Some(dir) = override_dir {
            for (sub, is_template) in [("templates", true), ("static", false)] {
                let folder = dir.join(sub);
                for (name, path) in files_below(&folder)? {
                    let bytes = read(&path)?;
                    if is_template {
                        let source = String::from_utf8(bytes)
                            .map_err(|_| ThemeError::Read { path: path.clone(), reason: "not UTF-8 text".into() })?;
                        templates.retain(|(n, _)| *n != name);
                        templates.push((name, Cow::Owned(source)));
                    } else {
                        asset_files.retain(|(n, _)| *n != name);
                        asset_files.push((name, Cow::Owned(bytes)));
                    }
                }
            }
        }

        let assets: Vec<Asset> = asset_files
            .into_iter()
            .map(|(name, bytes)| Asset {
                hashed_name: hashed(&name, &bytes),
                content_type: content_type(&name),
                name,
                bytes,
            })
            .collect();
        let urls: Vec<(String, String)> =
            assets.iter().map(|a| (a.name.clone(), format!("/static/{}", a.hashed_name))).collect();
        env.add_function("asset_url", move |name: &str| -> String {
            urls.iter()
                .find(|(n, _)| n == name)
                .map(|(_, url)| url.clone())
                .unwrap_or_else(|| format!("/static/{name}"))
        });

        for (name, source) in templates {
            env.add_template_owned(name.clone(), source.into_owned())
                .map_err(|e| ThemeError::Template { name: name.clone(), reason: format!("{e:#}") })?;
        }
        Ok(Theme { env, assets })
    }

    pub fn render(&self, name: &str, context: impl Serialize) -> Result<String, ThemeError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| ThemeError::Template { name: name.into(), reason: e.to_string() })?;
        template.render(context).map_err(|e| ThemeError::Render { name: name.into(), reason: format!("{e:#}") })
    }

    /// Renders `name` with `content`'s fields and, for any name `content` does not have,
    /// `frame`'s: the values every page shares, converted once (see [`Prepared`]).
    pub fn render_in(&self, name: &str, frame: &Prepared, content: impl Serialize) -> Result<String, ThemeError> {
        // The last of the merged maps wins a name they share.
        let context = minijinja::value::merge_maps([frame.0.clone(), minijinja::Value::from_serialize(content)]);
        self.render(name, context)
    }

    /// The address of an asset by its plain name (`style.css` → `/static/style.1a2b3c4d5e6f.css`).
    pub fn asset_url(&self, name: &str) -> Option<String> {
        self.assets.iter().find(|a| a.name == name).map(|a| format!("/static/{}", a.hashed_name))
    }

    /// The asset served under a content-hashed name.
    pub fn asset(&self, hashed_name: &str) -> Option<&Asset> {
        self.assets.iter().find(|a| a.hashed_name == hashed_name)
    }
}

/// Values made ready for templates once and drawn into many pages. Every reader page draws
/// the same frame (the menu, the footer, the side lists); converting it from its Rust form
/// on each page was a good part of an uncached page's time (issue 20).
#[derive(Debug, Clone)]
pub struct Prepared(minijinja::Value);

impl Prepared {
    pub fn new(value: impl Serialize) -> Self {
        Prepared(minijinja::Value::from_serialize(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_in_runs_gives_what_escaping_each_character_gives() {
        fn one_at_a_time(text: &str) -> String {
            text.chars()
                .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
                .map(|c| match c {
                    '&' => "&amp;".to_owned(),
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    '"' => "&quot;".to_owned(),
                    '\'' => "&#39;".to_owned(),
                    other => other.to_string(),
                })
                .collect()
        }
        let texts = [
            "",
            "Plain words",
            "Tom & Jerry <b>\"quoted\"</b> it's",
            "\u{0}nul\u{1f}unit\u{7f}del\u{85}next line\u{9f} and \u{a0}no-break\u{c2}",
            "tab\tnew\nline\rreturn",
            "서울 & 부산 <시> 🙂 Ünïcödé\u{80}",
            "&&&<<<>>>",
            "ends with a control\u{1b}",
        ];
        for text in texts {
            assert_eq!(escape_html(text), one_at_a_time(text), "{text:?}");
        }
    }

    /// The default theme with its error page replaced by `template`, in a folder of its own
    /// (named after `test`) that the caller removes.
    fn theme_with_error_page(test: &str, template: &str) -> (Theme, PathBuf) {
        let dir = std::env::temp_dir().join(format!("dateline-theme-{test}-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("templates")).expect("folder");
        std::fs::write(dir.join("templates/error.html"), template).expect("write");
        (Theme::load(Some(&dir)).expect("theme with override"), dir)
    }

    #[test]
    fn a_page_drawn_in_a_prepared_frame_reads_its_own_fields_first() {
        let (theme, dir) = theme_with_error_page("frame", "{{ site }}/{{ status }}/{{ latest }}");
        let frame = Prepared::new(minijinja::context! { site => "The Daily", latest => "frame's" });
        let html = theme.render_in("error.html", &frame, minijinja::context! { status => 404, latest => "page's" });
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(html.expect("render"), "The Daily/404/page&#39;s");
    }

    #[test]
    fn the_default_theme_compiles() {
        let theme = Theme::load(None).expect("default theme");
        assert!(theme.assets.iter().any(|a| a.name == "style.css" && a.hashed_name.starts_with("style.")));
    }

    #[test]
    fn a_template_in_the_override_folder_replaces_the_default_one() {
        let (theme, dir) = theme_with_error_page("override", "custom {{ status }}");
        let html = theme.render("error.html", minijinja::context! { status => 404 }).expect("render");
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(html, "custom 404");
    }

    #[test]
    fn text_is_escaped_for_html_but_urls_keep_their_slashes() {
        let (theme, dir) = theme_with_error_page("escape", "<a href=\"{{ url }}\">{{ text }}</a>");
        let html = theme
            .render("error.html", minijinja::context! { url => "/article/1/a", text => "Q&A <b>\"x\"</b> 's\u{1}" })
            .expect("render");
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(html, "<a href=\"/article/1/a\">Q&amp;A &lt;b&gt;&quot;x&quot;&lt;/b&gt; &#39;s</a>");
    }

    #[test]
    fn a_broken_override_is_refused_with_its_name() {
        let dir = std::env::temp_dir().join(format!("dateline-theme-broken-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("templates")).expect("folder");
        std::fs::write(dir.join("templates/home.html"), "{% if %}").expect("write");
        let error = Theme::load(Some(&dir)).expect_err("broken template");
        std::fs::remove_dir_all(&dir).ok();
        assert!(error.to_string().contains("home.html"), "{error}");
    }
}

#[cfg(test)]
mod documentation {
    use super::DEFAULT_TEMPLATES;

    #[test]
    fn the_theme_guide_describes_every_template() {
        let guide = include_str!("../../../docs/THEMES.md");
        for (name, _) in DEFAULT_TEMPLATES {
            assert!(guide.contains(&format!("### {name}")), "docs/THEMES.md has no section for {name}");
        }
    }
}
