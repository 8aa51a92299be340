//! The live-reload protocol of `communique serve`, without a browser: what `/__livereload`
//! sends to an open tab (`hello`, `reload`, `css`, `error`, `ok`) after each kind of edit,
//! and what a tab that connects again, also to a restarted server, is told.

use serde_json::{Value, json};

use crate::server::{LiveReload, Server};
use crate::support::TestSite;

const REPORT: &str = "content/reports/2019-04-02-weihai-city-committee/index.md";
const STYLESHEET: &str = "static/assets/style.css";

/// The example site with a stylesheet of its own that replaces the theme's.
fn site() -> TestSite {
    TestSite::example().file(STYLESHEET, "body { color: rgb(1, 2, 3); }\n")
}

/// A connection as the page's script opens it: same host, the page's origin.
fn open_tab(server: &Server) -> LiveReload {
    let origin = format!("http://{}", server.addr);
    LiveReload::connect(server, &server.addr, Some(&origin)).unwrap_or_else(|r| panic!("refused: {}", r.text()))
}

/// The report with an impossible date on line 3 (column 7), which fails the rebuild.
fn broken_date(good: &str) -> String {
    good.replacen("date: 2019-04-02", "date: 2019-04-32", 1)
}
const BROKEN_DATE_AT: &str = "content/reports/2019-04-02-weihai-city-committee/index.md:3:7";

/// The one `error` message of `messages`, checked whole: its text is the diagnostics the
/// terminal printed (`log`), starting with `at` (`path:line:col`).
#[track_caller]
fn assert_error_shown(messages: &[Value], log: &str, at: &str) -> String {
    let [message] = messages else { panic!("expected one error message, got {messages:?}") };
    let object = message.as_object().expect("a JSON object");
    assert_eq!(object.keys().collect::<Vec<_>>(), ["text", "type"], "{message}");
    assert_eq!(object["type"], "error");
    let text = object["text"].as_str().expect("a text").to_string();
    assert!(text.starts_with(&format!("{at}: error: ")), "{text}");
    assert!(log.contains(text.trim_end()), "the overlay text differs from the terminal's:\n{text}\n---\n{log}");
    text
}

#[test]
fn each_kind_of_edit_sends_its_message() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    let mut tab = open_tab(&server);
    assert_eq!(tab.messages(), [json!({ "type": "hello" })]);
    let good = site.read(REPORT);

    server.after(|| site.write(REPORT, &format!("{good}\nA paragraph added to the body.\n")));
    assert_eq!(tab.messages(), [json!({ "type": "reload" })], "after a body edit");

    server.after(|| site.write(STYLESHEET, "body { color: rgb(4, 5, 6); }\n"));
    assert_eq!(tab.messages(), [json!({ "type": "css", "paths": ["assets/style.css"] })], "after a stylesheet edit");

    // A broken template, then removed again: the site is as it was, so there is nothing
    // to reload, only the overlay to hide.
    let template = "{% extends \"base.html\" %}\n{% block content %}{{ report.title }\n{% endblock content %}\n";
    let log = server.after(|| site.write("templates/report.html", template));
    assert_error_shown(&tab.messages(), &log, "templates/report.html:2:36");
    server.after(|| std::fs::remove_file(site.path("templates/report.html")).unwrap());
    assert_eq!(tab.messages(), [json!({ "type": "ok" })], "after undoing the broken edit");

    // A fix that changes the site reloads the page (which hides the overlay too).
    let log = server.after(|| site.write(REPORT, &broken_date(&good)));
    assert_error_shown(&tab.messages(), &log, BROKEN_DATE_AT);
    server.after(|| site.write(REPORT, &good.replacen("title: ", "title: Fixed - ", 1)));
    assert_eq!(tab.messages(), [json!({ "type": "reload" })], "after a fix that changes the site");
}

#[test]
fn a_tab_that_connects_again_is_told_the_current_error() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    let good = site.read(REPORT);
    let log = server.after(|| site.write(REPORT, &broken_date(&good)));

    // A tab opened (or reconnected) while the error lasts gets it after the greeting.
    let mut tab = open_tab(&server);
    let messages = tab.messages();
    assert_eq!(messages.first(), Some(&json!({ "type": "hello" })), "{messages:?}");
    let error = assert_error_shown(&messages[1..], &log, BROKEN_DATE_AT);

    // The server restarts on the same port, the site still broken: the tab's socket
    // closes, and the connection it opens again is greeted with the same error.
    let port = server.port();
    drop(server);
    assert!(tab.is_closed_by_server(), "the socket stayed open after the server stopped");
    let server = Server::start_on(site.root(), port, &[]);
    let mut tab = open_tab(&server);
    let messages = tab.messages();
    assert_eq!(messages, [json!({ "type": "hello" }), json!({ "type": "error", "text": error })]);

    server.after(|| site.write(REPORT, &good.replacen("title: ", "title: Fixed - ", 1)));
    assert_eq!(tab.messages(), [json!({ "type": "reload" })]);
    let mut tab = open_tab(&server);
    assert_eq!(tab.messages(), [json!({ "type": "hello" })], "the error outlived its fix");
}
