//! Thinning outlines: Douglas and Peucker's line simplification, used on the outlines
//! in degrees (the coarse world of `topo`) and on rings in SVG units as they are drawn.

/// `line` simplified by Douglas and Peucker's method: a point is kept only if leaving it
/// out would move the line by more than `tolerance`.
pub fn simplified(line: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    if line.len() < 3 {
        return line.to_vec();
    }
    let mut keep = vec![false; line.len()];
    let last = line.len() - 1;
    (keep[0], keep[last]) = (true, true);
    let mut spans = vec![(0, last)];
    while let Some((first, end)) = spans.pop() {
        let (a, b) = (line[first], line[end]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let length = (dx * dx + dy * dy).sqrt();
        let distance = |p: &(f64, f64)| match length > 0.0 {
            true => ((p.0 - a.0) * dy - (p.1 - a.1) * dx).abs() / length,
            false => (p.0 - a.0).hypot(p.1 - a.1),
        };
        let farthest = (first + 1..end).max_by(|i, j| distance(&line[*i]).total_cmp(&distance(&line[*j])));
        if let Some(i) = farthest.filter(|i| distance(&line[*i]) > tolerance) {
            keep[i] = true;
            spans.extend([(first, i), (i, end)]);
        }
    }
    line.iter().zip(keep).filter_map(|(p, kept)| kept.then_some(*p)).collect()
}
