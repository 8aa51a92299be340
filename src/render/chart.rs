//! Small bar charts drawn at build time as inline SVG (no JavaScript): one per figure a
//! city reports for two or more years. The chart carries its data as text too (a
//! `<title>` read by screen readers), so nothing depends on seeing it.

use pulldown_cmark_escape::escape_html;

/// One bar: the year, the value (for the bar's height) and the value as printed.
pub struct Point {
    pub year: i32,
    pub value: f64,
    pub display: String,
}

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 140.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 20.0;

pub(crate) fn escaped(text: &str) -> String {
    let mut out = String::new();
    let _ = escape_html(&mut out, text);
    out
}

/// An SVG bar chart of `points` (oldest first) titled `title`.
pub fn bar_chart(title: &str, points: &[Point]) -> String {
    let max = points.iter().map(|p| p.value).fold(0.0_f64, f64::max);
    let slot = WIDTH / points.len().max(1) as f64;
    let bar = (slot * 0.6).min(48.0);
    let plot = HEIGHT - TOP - BOTTOM;
    let summary: Vec<String> = points.iter().map(|p| format!("{}: {}", p.year, p.display)).collect();
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        escaped(&format!("{title}: {}", summary.join(", ")))
    );
    for (i, p) in points.iter().enumerate() {
        let height = if max > 0.0 { (p.value.max(0.0) / max * plot).max(1.0) } else { 1.0 };
        let x = i as f64 * slot + (slot - bar) / 2.0;
        let y = TOP + plot - height;
        let centre = x + bar / 2.0;
        svg.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{height:.1}\" fill=\"currentColor\" opacity=\"0.55\"/>\
             <text x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"currentColor\">{}</text>\
             <text x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"currentColor\">{}</text>",
            y - 4.0,
            escaped(&p.display),
            HEIGHT - 5.0,
            p.year
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_grow_with_values_and_the_title_reads_the_data() {
        let points = [
            Point { year: 2017, value: 300.0, display: "¥300 billion".into() },
            Point { year: 2018, value: 360.0, display: "¥360 billion".into() },
        ];
        let svg = bar_chart("GDP <Weihai>", &points);
        assert!(svg.contains("<title>GDP &lt;Weihai&gt;: 2017: ¥300 billion, 2018: ¥360 billion</title>"), "{svg}");
        let heights: Vec<f64> = svg
            .split("height=\"")
            .skip(2) // the svg element's own height
            .map(|s| s.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(heights.len(), 2);
        assert!(heights[1] > heights[0], "{heights:?}");
    }
}
