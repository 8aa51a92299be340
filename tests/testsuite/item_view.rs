//! The theme's view of a report in lists, `partials/report_item.html` (docs/themes.md):
//! rendered once per report, page depth and language, and printed by every list as
//! `item.html`. What a reader sees must not tell it from rendering the entry on each page:
//! links lead from the page that lists it, words and dates are in that page's language,
//! and an error in the view fails the build at its line.

use crate::support::{TestSite, select_in, text_of};

/// A view that shows what the cache could get wrong: a link to the report (relative to
/// the page), a date and a word in the page's language, a link made by `url_for`, and
/// `current_path`, which must not be that of the page that happened to list it first.
const VIEW: &str = "<li class=\"mine\"><a class=\"to\" href=\"{{ item.url }}\">{{ item.title }}</a> \
<time>{{ item.date | date_range(end=item.end_date) }}</time> \
<a class=\"up\" href=\"{{ url_for(path='people/') }}\">{{ t(key=\"nav.people\") }}</a> \
<span class=\"at\">{{ current_path }}</span></li>";

const QINGDAO: &str = "reports/qingdao-delegation/index.html";

#[test]
fn every_list_shows_the_report_item_view_with_links_and_words_of_the_page_listing_it() {
    let site = TestSite::example().file("templates/partials/report_item.html", VIEW);
    site.build(&[]).success();
    // Pages of three depths and two languages, each listing the Qingdao visit.
    let cases = [
        ("index.html", "", "23–26 July 2020", "People"),
        ("people/sherali-jonon/index.html", "", "23–26 July 2020", "People"),
        ("topics/trade/index.html", "", "23–26 July 2020", "People"),
        ("ru/index.html", "ru/", "23–26 июля 2020 г.", "Персоны"),
        ("ru/people/sherali-jonon/index.html", "ru/", "23–26 июля 2020 г.", "Персоны"),
    ];
    for (page, folder, date, people) in cases {
        let page = site.page(page);
        let items = page.select("ul.report-list > li.mine");
        assert!(!items.is_empty(), "{}: the view is not what the list shows", page.path);
        let mut dates = Vec::new();
        for item in items {
            let href = select_in(item, "a.to")[0].attr("href").expect("a.to has an href");
            let report = page.target(href);
            assert!(site.has(&report), "{}: an item leads to {report}, which is not a page", page.path);
            dates.push((report, text_of(select_in(item, "time")[0])));
        }
        let qingdao = dates.iter().find(|(report, _)| *report == format!("{folder}{QINGDAO}"));
        assert_eq!(qingdao.map(|(_, date)| date.as_str()), Some(date), "{}: {dates:?}", page.path);
        for href in page.attrs("li.mine a.up", "href") {
            assert_eq!(page.target(&href), format!("{folder}people/index.html"), "{}", page.path);
        }
        assert!(page.texts("li.mine a.up").iter().all(|t| t == people), "{}", page.path);
        // Not the path of whichever page listed the report first (which varies from run to
        // run), but a placeholder as deep as this page.
        let placeholder = "_/".repeat(page.path.matches('/').count());
        assert!(page.texts("li.mine span.at").iter().all(|at| *at == placeholder), "{}", page.path);
    }
}

#[test]
fn an_error_in_the_report_item_view_fails_the_build_at_its_line() {
    let site = TestSite::example()
        .file("templates/partials/report_item.html", "<li>{{ item.title }}\n{{ t(key=\"no.such.key\") }}</li>");
    let run = site.build(&[]).exit(1);
    run.stderr_has("templates/partials/report_item.html:2:");
    run.stderr_has("no text for \"no.such.key\"");
    assert!(!site.output().exists(), "a failed build wrote its output");
}

#[test]
fn a_list_that_includes_its_entries_itself_lists_every_report() {
    // A site's own report_list.html that includes the entry (as themes before item views
    // did) rather than printing `item.html`: nothing reads the view, and lists are whole.
    let site = TestSite::example().file(
        "templates/partials/report_list.html",
        "<ul class=\"report-list\">{% for item in reports %}{% include \"partials/report_item.html\" %}{% endfor %}</ul>",
    );
    site.build(&[]).success();
    let titles = site.page("index.html").texts("ul.report-list > li > a.report-title");
    let expected = [
        "SCO Secretariat delegation visits Qingdao",
        "SCO Secretary-General meets the Secretary of the Weihai City Committee",
    ];
    assert_eq!(titles, expected);
}
