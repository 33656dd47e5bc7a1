//! A browser-like desk session for HTTP tests: signs in through the real form (with its CSRF
//! cookie), keeps the session cookie, and posts forms with the session's CSRF token.

use crate::app::TestApp;
use reqwest::header::{COOKIE, SET_COOKIE};

#[derive(Clone)]
pub struct DeskSession {
    base_url: String,
    client: reqwest::Client,
    pub cookie: String,
    pub csrf: String,
    /// The `Set-Cookie` header the sign-in answered with, for tests of its flags.
    pub set_cookie: String,
}

fn cookie_value(response: &reqwest::Response, name: &str) -> Option<(String, String)> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|full| (full.split(';').next().unwrap_or_default().to_owned(), full.to_owned()))
}

fn hidden_csrf(html: &str) -> String {
    let page = scraper::Html::parse_document(html);
    crate::attributes(&page, "input[name=csrf]", "value").into_iter().next().expect("a csrf field on the page")
}

impl TestApp {
    /// Signs in through the form; the response of the final POST is returned when it fails.
    pub async fn try_sign_in(&self, email: &str, password: &str) -> Result<DeskSession, reqwest::Response> {
        DeskSession::try_sign_in_at(&self.base_url, email, password).await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> DeskSession {
        DeskSession::sign_in_at(&self.base_url, email, password).await
    }
}

impl DeskSession {
    /// Signs in to the paper at `base_url` (any running server, such as a `dateline serve`
    /// process) through its form; the response of the final POST is returned when it fails.
    pub async fn try_sign_in_at(base_url: &str, email: &str, password: &str) -> Result<DeskSession, reqwest::Response> {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let form = client.get(format!("{base_url}/desk/sign-in")).send().await.expect("sign-in form");
        let (form_cookie, _) = cookie_value(&form, "dateline_sign_in").expect("the sign-in form sets its cookie");
        let csrf = hidden_csrf(&form.text().await.expect("form"));
        let response = client
            .post(format!("{base_url}/desk/sign-in"))
            .header(COOKIE, form_cookie)
            .form(&[("email", email), ("password", password), ("csrf", &csrf), ("next", "/desk/")])
            .send()
            .await
            .expect("sign in");
        let Some((cookie, set_cookie)) = cookie_value(&response, "dateline_session") else { return Err(response) };
        let mut session =
            DeskSession { base_url: base_url.to_owned(), client, cookie, csrf: String::new(), set_cookie };
        let desk = session.get("/desk/").await;
        assert_eq!(desk.status(), 200, "the desk opens after signing in");
        session.csrf = hidden_csrf(&desk.text().await.expect("desk"));
        Ok(session)
    }

    pub async fn sign_in_at(base_url: &str, email: &str, password: &str) -> DeskSession {
        match DeskSession::try_sign_in_at(base_url, email, password).await {
            Ok(session) => session,
            Err(response) => panic!("signing in as {email} failed with {}", response.status()),
        }
    }

    /// The same session used on another server of the same paper.
    pub fn on(&self, base_url: &str) -> DeskSession {
        DeskSession { base_url: base_url.to_owned(), ..self.clone() }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base_url)).header(COOKIE, &self.cookie).send().await.expect("get")
    }

    pub async fn page(&self, path: &str) -> scraper::Html {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        scraper::Html::parse_document(&response.text().await.expect("body"))
    }

    /// Posts a form with this session's CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &self.csrf));
        self.post_without_csrf(path, &all).await
    }

    /// As [`DeskSession::post`], but `None` when the server does not answer at all (it was
    /// stopped), for tests that stop it on purpose.
    pub async fn try_post(&self, path: &str, fields: &[(&str, &str)]) -> Option<reqwest::Response> {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &self.csrf));
        self.client.post(format!("{}{path}", self.base_url)).header(COOKIE, &self.cookie).form(&all).send().await.ok()
    }

    /// Posts a multipart form (an upload) with this session's CSRF token added.
    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> reqwest::Response {
        let form = form.text("csrf", self.csrf.clone());
        self.client
            .post(format!("{}{path}", self.base_url))
            .header(COOKIE, &self.cookie)
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }

    pub async fn post_without_csrf(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base_url))
            .header(COOKIE, &self.cookie)
            .form(fields)
            .send()
            .await
            .expect("post")
    }
}
