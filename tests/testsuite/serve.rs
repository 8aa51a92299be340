//! `communique serve` over HTTP: it serves what `build` writes, follows every kind of edit
//! (and still equals a fresh build afterwards), keeps the last good site on errors and
//! refuses requests that try to leave the site.

use std::collections::BTreeSet;

use crate::server::{Server, without_reload_script};
use crate::support::{TestSite, snapshot};

/// A report file with the given front matter lines and body.
fn report(front_matter: &str, body: &str) -> String {
    format!("---\n{front_matter}\n---\n{body}")
}

/// The example site plus a dozen small reports sharing people and cities, paginated by
/// five (entity pages by three), so edits move reports between home pages and between
/// entity pages and change related-report lists.
fn busy_site() -> TestSite {
    let mut site = TestSite::example();
    let config = site.read("site.yaml").replace("paginate: 20", "paginate: 5\npaginate_entities: 3");
    site = site.file("site.yaml", &config);
    let people = ["Wang Luming", "Vladimir Norov", "Ilkhom Nematov", "Zhang Ming"];
    let cities = ["Weihai", "Qingdao", "Tashkent"];
    for i in 0..12 {
        let front = format!(
            "title: Working meeting {i}\ndate: 2021-03-{:02}\ncities: [{}]\nofficials:\n  - name: {}\n    role: Delegate\n  - {}\ntopics: [trade]",
            i + 1,
            cities[i % 3],
            people[i % 4],
            people[(i + 1) % 4]
        );
        site = site.file(
            &format!("content/reports/2021-meeting-{i:02}.md"),
            &report(&front, &format!("Meeting {i} took place.\n\nMore words.\n")),
        );
    }
    site
}

/// Files `serve` brings up to date after telling tabs to reload (in any language's folder).
fn is_derived(rel: &str) -> bool {
    let in_language = rel.split_once('/').filter(|(folder, _)| folder.len() == 2).map_or(rel, |(_, rest)| rest);
    [rel, in_language].iter().any(|rel| {
        rel.starts_with("pagefind/")
            || rel.starts_with("data/")
            || rel.ends_with("feed.xml")
            || *rel == "sitemap.xml"
            || *rel == "robots.txt"
    })
}

/// The URL path that serves an output file (`reports/a/index.html` -> `/reports/a/`).
fn url_of(rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(folder) => format!("/{folder}"),
        None => format!("/{rel}"),
    }
}

/// Whether a file is in a search index (any language's).
fn is_search_index(rel: &str) -> bool {
    rel.split('/').take(2).any(|folder| folder == "pagefind")
}

/// Builds `site` afresh into a separate folder and asserts the server answers every file
/// with the same bytes (pages without the injected script), and 404 for every path in
/// `gone`. Returns the set of files of this build.
#[track_caller]
pub(crate) fn assert_serves_a_fresh_build(
    server: &Server,
    site: &TestSite,
    gone: &BTreeSet<String>,
) -> BTreeSet<String> {
    compare_with_a_fresh_build(server, site, gone, true)
}

/// [`assert_serves_a_fresh_build`] but for the search index, which `serve` makes once
/// the author pauses: for the steps of an edit sequence, whose last step compares it.
#[track_caller]
pub(crate) fn assert_serves_a_fresh_build_but_its_index(
    server: &Server,
    site: &TestSite,
    gone: &BTreeSet<String>,
) -> BTreeSet<String> {
    compare_with_a_fresh_build(server, site, gone, false)
}

#[track_caller]
fn compare_with_a_fresh_build(
    server: &Server,
    site: &TestSite,
    gone: &BTreeSet<String>,
    with_index: bool,
) -> BTreeSet<String> {
    let out = crate::support::tempdir();
    let target = out.path().join("site");
    site.build(&["--output", target.to_str().unwrap()]).success();
    let mut built = snapshot(&target);
    // The build's list of the files it wrote belongs to the output folder, not the site.
    built.remove(".communique-manifest");
    let compared = |rel: &&String| with_index || !is_search_index(rel);
    for (rel, bytes) in built.iter().filter(|(rel, _)| compared(rel)) {
        let response = if is_derived(rel) {
            // Made after the reload message: feeds, sitemap and exports right after it,
            // the search index on a thread of its own once the author pauses.
            server.get_eventually(&url_of(rel), bytes)
        } else {
            server.get(&url_of(rel))
        };
        assert_eq!(response.status, 200, "{rel} answered {}", response.status);
        let served = if rel.ends_with(".html") { without_reload_script(&response.body) } else { response.body.clone() };
        if &served != bytes {
            panic!(
                "{rel} differs from a fresh build\n--- served ---\n{}\n--- built ---\n{}\n--- server log ---\n{}",
                String::from_utf8_lossy(&served),
                String::from_utf8_lossy(bytes),
                server.output()
            );
        }
    }
    for rel in gone.iter().filter(|r| !built.contains_key(*r) && compared(r)) {
        assert_eq!(server.get(&url_of(rel)).status, 404, "{rel} should be gone\n{}", server.output());
    }
    built.into_keys().collect()
}

#[test]
fn serve_answers_exactly_what_build_writes() {
    let site = TestSite::example();
    let server = Server::start(site.root(), &[]);
    assert_serves_a_fresh_build(&server, &site, &BTreeSet::new());
    let css = server.get("/assets/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let home = server.get("/");
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(home.text().contains("__livereload") || home.text().contains("data-root=\"./\""), "no reload client");
}

#[test]
fn every_kind_of_edit_ends_equal_to_a_fresh_build() {
    let site = busy_site();
    let server = Server::start(site.root(), &[]);
    let mut seen = assert_serves_a_fresh_build(&server, &site, &BTreeSet::new());
    let meeting = |i: usize| format!("content/reports/2021-meeting-{i:02}.md");
    let mut step = |name: &str, edit: &dyn Fn()| {
        let log = server.after(edit);
        assert!(!log.contains("rebuild failed"), "step {name} failed:\n{log}");
        let now = assert_serves_a_fresh_build_but_its_index(&server, &site, &seen);
        seen.extend(now);
    };

    step("body only, summary unchanged", &|| {
        let text = site.read(&meeting(3));
        site.write(&meeting(3), &format!("{text}\nAn added closing paragraph.\n"));
    });
    step("body only, first paragraph (the summary) changed", &|| {
        let text = site.read(&meeting(4)).replace("Meeting 4 took place.", "Meeting 4 was long.");
        site.write(&meeting(4), &text);
    });
    step("title", &|| {
        let text = site.read(&meeting(5)).replace("title: Working meeting 5", "title: Renamed meeting");
        site.write(&meeting(5), &text);
    });
    step("a new official", &|| {
        let text = site.read(&meeting(6)).replace("topics: [trade]", "topics: [trade]\nend_date: 2021-03-08");
        let text = text.replace("officials:\n", "officials:\n  - name: Aliya Seitova\n    country: Kazakhstan\n");
        site.write(&meeting(6), &text);
    });
    step("a date that moves the report to another home page", &|| {
        let text = site.read(&meeting(0)).replace("date: 2021-03-01", "date: 2022-01-01");
        site.write(&meeting(0), &text);
    });
    step("a new report with a new city", &|| {
        site.write(
            "content/reports/2021-samarkand.md",
            &report(
                "title: Samarkand forum\ndate: 2021-05-05\ncities: [Samarkand]\nofficials: [Zhang Ming]",
                "Forum.\n",
            ),
        );
    });
    step("a report renamed (new slug)", &|| {
        std::fs::rename(site.path(&meeting(7)), site.path("content/reports/2021-renamed.md")).unwrap();
    });
    step("a report deleted", &|| std::fs::remove_file(site.path(&meeting(8))).unwrap());
    step("saved through a temporary file and a rename (vim, JetBrains)", &|| {
        let text = site.read(&meeting(9)).replace("Meeting 9 took place.", "Meeting 9 was saved atomically.");
        site.write("content/reports/.2021-meeting-09.md.tmp", &text);
        std::fs::rename(site.path("content/reports/.2021-meeting-09.md.tmp"), site.path(&meeting(9))).unwrap();
    });
    step("a new folder with a report", &|| {
        site.write(
            "content/reports/2023/2023-01-01-new-year.md",
            &report("title: New year call\ndate: 2023-01-01\nofficials: [Wang Luming]", "Call.\n"),
        );
    });
    step("a folder renamed", &|| {
        std::fs::rename(site.path("content/reports/2023"), site.path("content/reports/archive")).unwrap();
    });
    step("a folder deleted", &|| std::fs::remove_dir_all(site.path("content/reports/archive")).unwrap());
    step("a burst of files, as a git checkout makes", &|| {
        for i in 20..32 {
            site.write(
                &format!("content/reports/2024-burst-{i}.md"),
                &report(&format!("title: Burst {i}\ndate: 2024-02-{:02}\ncities: [Qingdao]", i - 19), "Burst.\n"),
            );
        }
        std::fs::remove_file(site.path(&meeting(10))).unwrap();
    });
    step("a registry alias", &|| {
        let people = site.read("data/people.yaml");
        site.write(
            "data/people.yaml",
            &format!("{people}\n- name: Zhang Ming\n  aliases: [Mr Zhang]\n  country: China\n"),
        );
    });
    step("a site template", &|| {
        site.write(
            "templates/report.html",
            "{% extends \"base.html\" %}{% block content %}<h1 class=\"custom\">{{ report.title }}</h1>{% endblock content %}",
        );
    });
    step("a static file", &|| site.write("static/extra.css", "body { color: red; }\n"));
    step("site.yaml", &|| {
        let config = site.read("site.yaml").replace("paginate: 5", "paginate: 4");
        site.write("site.yaml", &config);
    });
    // Once the author pauses, the search index too, its files of earlier steps gone.
    assert_serves_a_fresh_build(&server, &site, &seen);
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_until_fixed() {
    let site = TestSite::example();
    let server = Server::start(site.root(), &[]);
    let rel = "content/reports/2020-07-23-qingdao-delegation/index.md";
    let good = site.read(rel);
    let log = server.after(|| site.write(rel, &good.replacen("date: 2020-07-23", "date: 2020-13-45", 1)));
    assert!(log.contains("rebuild failed"), "{log}");
    assert!(log.contains(&format!("{rel}:3:7:")), "no path:line:col in\n{log}");
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("Qingdao"), "the last good site is no longer served");
    let log = server.after(|| site.write(rel, &good.replacen("title: ", "title: Fixed ", 1)));
    assert!(log.contains("rebuilt"), "{log}");
    assert!(server.get("/").text().contains("Fixed "), "the fix is not served");
    assert_serves_a_fresh_build(&server, &site, &BTreeSet::new());
}

#[test]
fn a_renamed_report_leaves_404_and_its_people_pages() {
    let site = TestSite::example();
    let server = Server::start(site.root(), &[]);
    assert_eq!(server.get("/reports/weihai-city-committee/").status, 200);
    assert_eq!(server.get("/ru/reports/weihai-city-committee/").status, 200);
    let person = server.get("/people/wang-luming/").text();
    assert!(person.contains("reports/weihai-city-committee/"), "{person}");
    // The report's folder, with its translations (`index.ru.md`, `index.zh.md`) and
    // photos, is renamed.
    let languages = ["", ".ru", ".zh"];
    let log = server.after(|| {
        let old = site.path("content/reports/2019-04-02-weihai-city-committee");
        std::fs::rename(old, site.path("content/reports/2019-04-02-weihai")).unwrap();
    });
    // The other report links the old file: the rename alone is an error, and the old
    // site stays served until that link is fixed too.
    assert!(log.contains("@/reports/2019-04-02-weihai-city-committee/index.md"), "{log}");
    assert_eq!(server.get("/reports/weihai-city-committee/").status, 200);
    server.after(|| {
        for language in languages {
            let linking = format!("content/reports/2020-07-23-qingdao-delegation/index{language}.md");
            let text = site.read(&linking).replace("2019-04-02-weihai-city-committee/", "2019-04-02-weihai/");
            site.write(&linking, &text);
        }
    });
    for folder in ["", "/ru", "/zh"] {
        assert_eq!(server.get(&format!("{folder}/reports/weihai-city-committee/")).status, 404, "{folder}");
        assert_eq!(server.get(&format!("{folder}/reports/weihai/")).status, 200, "{folder}");
        let person = server.get(&format!("{folder}/people/wang-luming/")).text();
        assert!(!person.contains("weihai-city-committee"), "{folder}: the person page still links the old URL");
    }
    // Its photos moved with it.
    assert_eq!(server.get("/reports/weihai/meeting-room-480.webp").status, 200);
    assert_eq!(server.get("/reports/weihai-city-committee/meeting-room-480.webp").status, 404);
}

#[test]
fn an_edited_photo_is_processed_again_alone_and_served() {
    let site = TestSite::example();
    let server = Server::start(site.root(), &[]);
    let photo = "/reports/qingdao-delegation/qingdao-bay-480.webp";
    let before = server.get(photo);
    assert_eq!(before.status, 200);
    let entries = || {
        let names = std::fs::read_dir(site.path(".communique-cache/images")).unwrap();
        names.filter(|name| name.as_ref().unwrap().file_name().to_string_lossy().ends_with(".entry")).count()
    };
    let cached = entries();
    // A square photo in place of the wide one: its variants change size.
    let log = replace_the_bay_with_a_square(&server, &site);
    assert!(log.contains("rebuilt"), "{log}");
    let after = server.get(photo);
    let decoded = image::load_from_memory(&after.body).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (480, 480));
    assert_eq!(entries(), cached + 1, "only the edited photo was processed and cached");
    let page = server.get("/reports/qingdao-delegation/").text();
    assert!(page.contains("qingdao-bay-900.webp 900w"), "the page does not list the new photo's widths");
}

#[test]
fn a_photo_shown_in_a_body_changes_the_body_when_it_changes_size() {
    let site = TestSite::example();
    let report = "content/reports/2020-07-23-qingdao-delegation/index.md";
    let text = site.read(report);
    site.write(report, &format!("{}\n![The bay at dusk](qingdao-bay.jpg)\n", text.trim_end()));
    let server = Server::start(site.root(), &[]);
    let body_picture = |page: &str| {
        let html = scraper::Html::parse_document(page);
        let selector = scraper::Selector::parse("div.body img").unwrap();
        html.select(&selector).filter_map(|s| s.value().attr("srcset")).map(str::to_string).collect::<Vec<_>>()
    };
    let before = body_picture(&server.get("/reports/qingdao-delegation/").text());
    assert!(before.iter().any(|s| s.contains("qingdao-bay-480.webp")), "no picture of the bay in the body: {before:?}");
    // A square photo in place of the wide one: published at other widths.
    let log = replace_the_bay_with_a_square(&server, &site);
    assert!(log.contains("rebuilt"), "{log}");
    assert_serves_a_fresh_build(&server, &site, &BTreeSet::new());
}

/// Writes a square photo of 900 pixels over the example's wide photo of Qingdao's bay
/// while `server` runs; the server's log of the rebuild.
fn replace_the_bay_with_a_square(server: &Server, site: &TestSite) -> String {
    let square = image::RgbImage::from_pixel(900, 900, image::Rgb([200, 40, 40]));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80).encode_image(&square).unwrap();
    server.after(|| {
        std::fs::write(site.path("content/reports/2020-07-23-qingdao-delegation/qingdao-bay.jpg"), &jpeg).unwrap()
    })
}

#[test]
fn a_file_put_in_a_report_folder_is_published_and_gone_when_removed() {
    let site = TestSite::example();
    let server = Server::start(site.root(), &[]);
    let agenda = "/reports/qingdao-delegation/agenda.txt";
    assert_eq!(server.get(agenda).status, 404);
    let file = site.path("content/reports/2020-07-23-qingdao-delegation/agenda.txt");
    server.after(|| std::fs::write(&file, "1. Port logistics").unwrap());
    let served = server.get(agenda);
    assert_eq!(served.status, 200, "a file put in a report folder is not published");
    assert_eq!(served.text(), "1. Port logistics");
    server.after(|| std::fs::remove_file(&file).unwrap());
    assert_eq!(server.get(agenda).status, 404, "a removed file is still served");
    // The report's photo, found by the same walk, is still there.
    assert_eq!(server.get("/reports/qingdao-delegation/qingdao-bay-480.webp").status, 200);
}

#[test]
fn requests_cannot_leave_the_site() {
    let outer = crate::support::tempdir();
    std::fs::write(outer.path().join("secret.txt"), "TOP SECRET").unwrap();
    let site = TestSite::example();
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink(outer.path().join("secret.txt"), site.path("static/linked.txt")).unwrap();
    std::os::unix::fs::symlink(outer.path(), site.path("static/linked-dir")).unwrap();
    let server = Server::start(site.root(), &[]);
    let depth = site.root().components().count() + 2;
    let up = "../".repeat(depth);
    let secret = outer.path().join("secret.txt");
    let secret = secret.to_str().unwrap().trim_start_matches('/');
    let vectors = [
        format!("/{up}{secret}"),
        format!("/{}{secret}", "%2e%2e/".repeat(depth)),
        format!("/{}{secret}", "%2E%2E%2F".repeat(depth)),
        format!("/{}{secret}", "..%2f".repeat(depth)),
        format!("/{}{secret}", "..%5c".repeat(depth)),
        format!("/{}{}", "..\\".repeat(depth), secret.replace('/', "\\")),
        "/linked.txt".to_string(),
        "/linked-dir/secret.txt".to_string(),
        "/assets/".to_string(),
        "/reports/".to_string(),
    ];
    for path in &vectors {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path} answered {}", response.status);
        assert!(!response.text().contains("TOP SECRET"), "{path} leaked the file");
    }
}

#[test]
fn a_busy_port_is_named_with_a_way_out() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = TestSite::example();
    // Should serve start anyway (the port check broken), it would run until killed: the
    // deadline turns that into a failure (exit code -1) instead of a stalled suite.
    let args = ["serve", "--root", site.root().to_str().unwrap(), "--port", &port];
    let run = crate::support::run_with_deadline(&args, std::time::Duration::from_secs(60));
    assert_eq!(run.code, 1, "{run:?}");
    run.stderr_has(&format!("port {port} is already in use")).stderr_has("--port");
}
