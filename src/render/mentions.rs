//! Which template values a theme can show, read from the text of its templates, so views
//! leave out costly values no template reads (the `bench` theme, which shows little, never
//! pays for JSON-LD or charts).
//!
//! A template can only show `city.charts` if `.charts` appears in one of its tags (not in
//! a string there, such as an included file's `"partials/x.html"`), or `"charts"` as a
//! key (`city["charts"]`, `get(key="charts")`, `sort(attribute="charts")`). A template can
//! also reach a value without naming it: by a key computed at render time (`city[k]`), or
//! by handing over a whole object (`{{ city }}`, `{% for k, v in city %}`, `city | pairs`,
//! `city | values`, `__tera_context`). Such a theme gets every value: the guess may cost
//! time, never a value. Tera 2 offers only the top-level variables of a template (not how
//! they are read), so the reading is done here, on the tags' tokens.

use std::collections::HashSet;

/// The words written in a theme's templates, those read as attributes or keys, and whether
/// some template reads values in a way words cannot tell.
#[derive(Debug, Default)]
pub struct Mentions {
    words: HashSet<String>,
    attributes: HashSet<String>,
    everything: bool,
}

/// Template variables that `render_route` fills with a string (or nothing), and `sizes`,
/// which the default theme sets to a string for its `partials/picture.html`: printing
/// one whole shows no costly value. A variable missing here only costs time.
const STRING_VARIABLES: &[&str] =
    &["canonical_url", "feed_url", "current_path", "section", "json_ld", "absolute_base", "sizes", "description"];

/// Filters that hand over every value of an object.
const WHOLE_OBJECT_FILTERS: &[&str] = &["pairs", "values", "json_encode"];

/// Words that are not variables, so a `[` after them starts a list, not a lookup.
const KEYWORDS: &[&str] = &["in", "and", "or", "not", "is", "if", "else", "true", "false", "none", "set", "for"];

impl Mentions {
    pub fn of<'t>(texts: impl IntoIterator<Item = &'t str>) -> Self {
        let mut mentions = Mentions::default();
        for text in texts {
            mentions.add_words(text);
            for (print, tag) in tags(text) {
                mentions.add_tag(print, &tokens(tag));
            }
        }
        mentions
    }

    /// Whether some template contains `word` (a variable such as `json_ld`), or may read
    /// every value.
    pub fn has(&self, word: &str) -> bool {
        self.everything || self.words.contains(word)
    }

    /// Whether some template reads an attribute called `name` (`x.name`, `x["name"]`), or
    /// may read every value.
    pub fn has_attribute(&self, name: &str) -> bool {
        self.everything || self.attributes.contains(name)
    }

    /// Every word of `text`. Words outside tags count too: a false match only costs time.
    fn add_words(&mut self, text: &str) {
        let mut rest = text;
        while let Some(start) = rest.find(is_word_char) {
            let end = rest[start..].find(|c: char| !is_word_char(c)).map_or(rest.len(), |e| start + e);
            self.words.insert(rest[start..end].to_string());
            rest = &rest[end..];
        }
    }

    /// Reads one tag's tokens: attributes (`x.name`), keys named in strings, and the
    /// readings that reach values without naming them.
    fn add_tag(&mut self, print: bool, tokens: &[Token]) {
        if print && prints_a_whole_variable(tokens) {
            self.everything = true;
        }
        if let [Token::Word("for"), Token::Word(_), Token::Punct(','), ..] = tokens {
            self.everything = true; // Iterates the keys and values of an object.
        }
        for (i, token) in tokens.iter().enumerate() {
            let after = &tokens[i + 1..];
            match (token, after) {
                (Token::Word("__tera_context"), _) => self.everything = true,
                (Token::Punct('.'), [Token::Word(name), ..]) => {
                    self.attributes.insert(name.to_string());
                }
                (Token::Punct('|'), [Token::Word(filter), ..]) if WHOLE_OBJECT_FILTERS.contains(filter) => {
                    self.everything = true
                }
                // `t(key=...)` names a theme string, not a value.
                (Token::Word("key"), [Token::Punct('='), ..]) if inside_call(&tokens[..i], "t") => {}
                (Token::Word("key" | "attribute"), [Token::Punct('='), value, ..]) => self.add_key(value),
                (Token::Punct('['), _) if i > 0 && is_lookup_after(&tokens[i - 1]) => match after {
                    [key @ (Token::Str(_) | Token::Number), Token::Punct(']'), ..] => self.add_key(key),
                    _ => self.everything = true,
                },
                _ => {}
            }
        }
    }

    /// A key written as a string is read like an attribute; one computed at render time
    /// may be any.
    fn add_key(&mut self, key: &Token) {
        match key {
            Token::Str(name) => {
                self.attributes.insert(name.to_string());
            }
            Token::Number => {} // A list index.
            _ => self.everything = true,
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether a `{{ }}` tag prints a variable as a whole (`{{ report }}`, `{{ r | safe }}`,
/// `{{ r ~ "" }}`), other than one known to hold a string; counting one (`| length`)
/// shows nothing of it, and taking one key (`| get(key="figures")`) names the key.
fn prints_a_whole_variable(tokens: &[Token]) -> bool {
    match tokens {
        [Token::Word(name), rest @ ..] if !KEYWORDS.contains(name) && !STRING_VARIABLES.contains(name) => match rest {
            [] => true,
            [Token::Punct('|'), Token::Word("length" | "get"), ..] => false,
            [Token::Punct('|' | '~'), ..] => true,
            _ => false,
        },
        _ => false,
    }
}

/// Whether a `[` after `token` looks up a key (`x[`, `x.y[`, `f()[`, `x[0][`) rather than
/// opening a list (`in [`, `= [`).
fn is_lookup_after(token: &Token) -> bool {
    match token {
        Token::Word(word) => !KEYWORDS.contains(word),
        Token::Punct(c) => matches!(c, ']' | ')'),
        _ => false,
    }
}

/// The insides of every `{{ }}` (true) and `{% %}` (false) tag of `text`, without
/// whitespace-control dashes. Comments and text between tags are skipped.
fn tags(text: &str) -> Vec<(bool, &str)> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let print = match rest.as_bytes().get(start + 1) {
            Some(b'{') => true,
            Some(b'%') => false,
            Some(b'#') => {
                let comment = &rest[start + 2..];
                rest = comment.find("#}").map_or("", |end| &comment[end + 2..]);
                continue;
            }
            _ => {
                rest = &rest[start + 1..];
                continue;
            }
        };
        let inner = &rest[start + 2..];
        let close = if print { "}}" } else { "%}" };
        let end = closing(inner, close).unwrap_or(inner.len());
        let body = inner[..end].trim();
        let body = body.strip_prefix(['-', '+']).unwrap_or(body);
        found.push((print, body.strip_suffix(['-', '+']).unwrap_or(body)));
        rest = &inner[(end + close.len()).min(inner.len())..];
    }
    found
}

/// Where `close` ends a tag that starts at `inner`, skipping string literals.
fn closing(inner: &str, close: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in inner.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if inner[i..].starts_with(close) => return Some(i),
            None => {}
        }
    }
    None
}

/// One token of a tag: enough of Tera's syntax to tell how values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'t> {
    Word(&'t str),
    /// A string literal's contents.
    Str(&'t str),
    Number,
    Punct(char),
}

fn tokens(tag: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut chars = tag.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if matches!(c, '"' | '\'' | '`') {
            let end = tag[start + 1..].find(c).map_or(tag.len(), |e| start + 1 + e);
            tokens.push(Token::Str(&tag[start + 1..end]));
            while chars.next_if(|(i, _)| *i <= end).is_some() {}
        } else if is_word_char(c) {
            let mut end = start + c.len_utf8();
            while let Some((i, next)) = chars.next_if(|(_, n)| is_word_char(*n)) {
                end = i + next.len_utf8();
            }
            let word = &tag[start..end];
            tokens.push(if c.is_ascii_digit() { Token::Number } else { Token::Word(word) });
        } else {
            tokens.push(Token::Punct(c));
        }
    }
    tokens
}

/// Whether the tokens `before` end inside an open call of the function `name`
/// (`t(count=n, ` is inside `t`).
fn inside_call(before: &[Token], name: &str) -> bool {
    let mut depth = 0usize;
    for (i, token) in before.iter().enumerate().rev() {
        match token {
            Token::Punct(')') => depth += 1,
            Token::Punct('(') if depth > 0 => depth -= 1,
            Token::Punct('(') => return i > 0 && matches!(before[i - 1], Token::Word(word) if word == name),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_tell_attributes_from_words_in_strings() {
        let m = Mentions::of([
            "{{ json_ld | safe }} <a href=\"{{ url_for(path='cities/') }}\">",
            "{% for c in person.met %}{{ c.name }}",
        ]);
        assert!(m.has("json_ld") && m.has("cities"));
        assert!(m.has_attribute("met") && m.has_attribute("name"));
        assert!(!m.has_attribute("cities"), "a word in a string is not an attribute");
        let included = Mentions::of(["{% include \"partials/report_item.html\" %}<p>See index.html</p>"]);
        assert!(!included.has_attribute("html"), "a file name is not an attribute: {included:?}");
        let read = Mentions::of(["{% for item in items %}{{ item.html | safe }}{{ item . title }}{% endfor %}"]);
        assert!(read.has_attribute("html") && read.has_attribute("title"), "{read:?}");
        assert!(!m.has_attribute("json_ld") && !m.has("charts"));
    }

    #[test]
    fn keys_written_as_strings_count_as_attributes() {
        let m = Mentions::of([
            "{{ report[\"figures\"] | length }}{{ person['met'][0].name }}",
            "{{ city | get(key=\"charts\") }}{% for r in person.reports | sort(attribute='years') %}{% endfor %}",
        ]);
        for name in ["figures", "met", "charts", "years", "reports", "name"] {
            assert!(m.has_attribute(name), "{name}");
        }
        assert!(!m.has_attribute("related") && !m.has_attribute("roles"));
    }

    #[test]
    fn values_reached_without_their_names_make_everything() {
        let everything = [
            "{{ report[key] }}",
            "{{ report[\"fig\" ~ \"ures\"] }}",
            "{{ city | get(key=name) }}",
            "{{ report }}",
            "{{- report -}}",
            "{{ report | safe }}",
            "{{ r ~ \"\" }}",
            "{% for k, v in report %}{{ v }}{% endfor %}",
            "{% for v in report | values %}{% endfor %}",
            "{{ report | pairs | length }}",
            "{{ report | json_encode }}",
            "{{ __tera_context }}",
        ];
        for template in everything {
            assert!(Mentions::of([template]).has_attribute("related"), "{template}");
        }
    }

    #[test]
    fn ordinary_templates_do_not_make_everything() {
        let templates = [
            "{{ canonical_url }}{{ feed_url | safe }}{{ json_ld | safe }}{{ figures | length }}",
            "{% for x in [1, 2] %}{{ x + 1 }}{% endfor %}{% if section == \"reports\" %}{% endif %}",
            "{{ report.cities[0].name }}{{ \"{{ report }}\" }}{# {{ report }} #}",
            "{% set n = report.title | length %}{{ report.title }}{{ loop.index }}",
            // Theme strings chosen at render time name no value.
            "{{ t(key=\"kind.\" ~ record.kind) }}{{ t(count=n, key=label) }}",
        ];
        let m = Mentions::of(templates);
        assert!(!m.has_attribute("related"), "{m:?}");
    }

    fn texts_under(dir: &std::path::Path, texts: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                texts_under(&path, texts);
            } else {
                texts.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }

    #[test]
    fn the_shipped_themes_read_only_what_they_name() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
        for theme in ["default", "bench", "minimal"] {
            let mut texts = Vec::new();
            texts_under(&root.join(theme).join("templates"), &mut texts);
            assert!(texts.len() > 10, "the {theme} theme's templates were not found");
            let m = Mentions::of(texts.iter().map(String::as_str));
            assert!(!m.everything, "the {theme} theme makes every value");
        }
    }
}
