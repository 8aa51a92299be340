//! Splitting a Markdown file into its YAML front matter and body. Pure: no IO.

/// A file's front matter and body, with the line numbers needed to point into the file.
#[derive(Debug, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// The YAML between the fences, without the fences.
    pub yaml: &'a str,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based file line of the first YAML line (line 2 for a fence on line 1).
    pub yaml_line: usize,
    /// 1-based file line of the first body line.
    pub body_line: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `---`.
    Missing,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

/// Splits `text` (already BOM-free with `\n` line endings) at `---` fences.
pub fn split_front_matter(text: &str) -> Result<FrontMatter<'_>, SplitError> {
    let Some(first_line_end) = text.find('\n') else {
        return Err(if is_fence(text) { SplitError::Unclosed } else { SplitError::Missing });
    };
    if !is_fence(&text[..first_line_end]) {
        return Err(SplitError::Missing);
    }
    let yaml_start = first_line_end + 1;
    let mut offset = yaml_start;
    for (line, raw_line) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        let content = raw_line.strip_suffix('\n').unwrap_or(raw_line);
        if is_fence(content) || content.trim_end() == "..." {
            let body_start = offset + raw_line.len();
            return Ok(FrontMatter {
                yaml: &text[yaml_start..offset],
                body: &text[body_start.min(text.len())..],
                yaml_line: 2,
                body_line: line + 1,
            });
        }
        offset += raw_line.len();
    }
    Err(SplitError::Unclosed)
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body_with_line_numbers() {
        let fm = split_front_matter("---\ntitle: A\ndate: 2019-04-02\n---\nBody\n").unwrap();
        assert_eq!(fm.yaml, "title: A\ndate: 2019-04-02\n");
        assert_eq!(fm.body, "Body\n");
        assert_eq!(fm.yaml_line, 2);
        assert_eq!(fm.body_line, 5);
    }

    #[test]
    fn empty_front_matter_and_empty_body() {
        let fm = split_front_matter("---\n---").unwrap();
        assert_eq!(fm.yaml, "");
        assert_eq!(fm.body, "");
    }

    #[test]
    fn missing_and_unclosed() {
        assert_eq!(split_front_matter("# Title\n"), Err(SplitError::Missing));
        assert_eq!(split_front_matter(""), Err(SplitError::Missing));
        assert_eq!(split_front_matter("---\ntitle: x\n"), Err(SplitError::Unclosed));
        assert_eq!(split_front_matter("---"), Err(SplitError::Unclosed));
    }

    #[test]
    fn a_dashed_rule_in_the_body_is_not_a_fence() {
        let fm = split_front_matter("---\na: 1\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(fm.body, "text\n---\nmore\n");
    }
}
