//! Maps drawn at build time as inline SVG (no JavaScript, no tiles, works offline): the
//! world's outlines ([`topo::WORLD`]) in the Equal Earth projection ([`projection`]), and
//! a marker for each place with valid coordinates, its area proportional to its number of
//! reports, linked to the place's page and named for screen readers. Places without
//! coordinates, or with coordinates out of range, are not drawn ([`MapView::unplaced`]);
//! with none to draw there is no map.
//!
//! Colours come from `currentColor` (presentation attributes, which a theme's CSS
//! overrides through the classes `map-sea`, `map-land` and `map-marker`), so a map reads
//! in dark mode and in print without the theme's help.

pub mod projection;
mod simplify;
pub mod topo;

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, LazyLock, Mutex};

use serde::Serialize;

use super::chart::escaped;
use projection::{Point, central_meridian, lat_of, project, relative_lon, x_per_radian, y_of};
use simplify::simplified;

/// A place to mark: its name, the link to its page, its number of reports (the marker's
/// size), its coordinates as the registry gives them, and its accessible name.
pub struct Place<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// What a screen reader says for the marker (`Weihai, 3 reports`).
    pub label: String,
}

/// What a map shows around its places.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Frame {
    /// The whole world (but Antarctica), for the index of every city.
    World,
    /// The places' extent with a margin (a country's cities, a person's).
    Fit,
    /// A small map of the region around one place.
    Locator,
}

impl Frame {
    fn name(self) -> &'static str {
        match self {
            Frame::World => "world",
            Frame::Fit => "fit",
            Frame::Locator => "locator",
        }
    }

    /// The map's width in SVG units (it scales with the page).
    fn width(self) -> f64 {
        match self {
            Frame::World => 960.0,
            Frame::Fit => 640.0,
            Frame::Locator => 240.0,
        }
    }
}

/// A map for templates: print `svg` with `| safe`; `width` and `height` are its size.
#[derive(Serialize, Debug)]
pub struct MapView {
    pub svg: String,
    pub width: u32,
    pub height: u32,
    /// How many places have a marker.
    pub markers: usize,
    /// The places not drawn, for want of valid coordinates.
    pub unplaced: Vec<Unplaced>,
}

/// A place the map could not draw.
#[derive(Serialize, Debug)]
pub struct Unplaced {
    pub name: String,
    pub url: String,
}

/// The region shown, in projected units (`y` grows southwards).
#[derive(Debug, Clone, Copy)]
struct View {
    west: f64,
    north: f64,
    east: f64,
    south: f64,
}

/// Marker radii in SVG units: the smallest, and the largest (for the most reports).
const MIN_RADIUS: f64 = 3.5;
const MAX_RADIUS: f64 = 16.0;
const LOCATOR_RADIUS: f64 = 5.0;
/// The world map leaves out Antarctica and the far north: latitudes shown.
const WORLD_LATITUDES: (f64, f64) = (-58.0, 84.0);
/// The locator's half-width and half-height in projected units (about 13° of longitude
/// and 7.5° of latitude).
const LOCATOR_HALF: (f64, f64) = (0.2, 0.15);
/// The smallest extent a fitted map shows (about 14° of longitude), and its margin.
const MIN_FIT_SPAN: f64 = 0.25;
const FIT_MARGIN: f64 = 0.12;
/// Width / height of fitted maps, at least and at most.
const ASPECT: (f64, f64) = (1.25, 2.0);

/// The coordinates of `place` (longitude, latitude) if both are numbers in range.
fn position(place: &Place) -> Option<(f64, f64)> {
    let (lat, lon) = (place.lat?, place.lon?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lon, lat))
}

/// The map of `places` in `frame`, or `None` if none of them has valid coordinates.
pub fn map(places: &[Place], frame: Frame) -> Option<MapView> {
    let placed: Vec<(&Place, (f64, f64))> = places.iter().filter_map(|p| Some((p, position(p)?))).collect();
    if placed.is_empty() {
        return None;
    }
    let lons: Vec<f64> = placed.iter().map(|(_, (lon, _))| *lon).collect();
    let centre = match frame {
        // Centred on Greenwich, unless places near the antimeridian would be cut apart.
        Frame::World if lons.iter().all(|l| l.abs() <= 165.0) => 0.0,
        // Fitted maps: to whole 5° (see `snapped`), so that maps of nearby places share it.
        Frame::Fit => (central_meridian(&lons) / 5.0).round() * 5.0,
        _ => central_meridian(&lons),
    };
    let points: Vec<Point> = placed.iter().map(|(_, (lon, lat))| project(relative_lon(*lon, centre), *lat)).collect();
    let view = view_of(frame, &points);
    let width = frame.width();
    let scale = width / (view.east - view.west);
    let height = ((view.south - view.north) * scale).round();
    let mut svg = format!(
        "<svg class=\"map map-{}\" role=\"group\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" \
         xmlns=\"http://www.w3.org/2000/svg\">\
         <rect class=\"map-sea\" width=\"{width}\" height=\"{height}\" fill=\"currentColor\" fill-opacity=\"0.04\"/>\
         <path class=\"map-land\" fill-rule=\"evenodd\" fill=\"currentColor\" fill-opacity=\"0.12\" stroke=\"currentColor\" \
         stroke-opacity=\"0.4\" stroke-width=\"0.6\" stroke-linejoin=\"round\" vector-effect=\"non-scaling-stroke\" d=\"",
        frame.name()
    );
    if frame == Frame::Fit {
        svg.push_str(&cached_outlines(centre, view, scale));
    } else {
        outline_path(&mut svg, centre, view, scale);
    }
    svg.push_str("\"/>");
    markers(&mut svg, &placed, &points, frame, view, scale);
    svg.push_str("</svg>");
    let unplaced = places
        .iter()
        .filter(|p| position(p).is_none())
        .map(|p| Unplaced { name: p.name.to_string(), url: p.url.clone() })
        .collect();
    Some(MapView { svg, width: width as u32, height: height as u32, markers: placed.len(), unplaced })
}

/// The region `frame` shows around the projected `points` (at least one).
fn view_of(frame: Frame, points: &[Point]) -> View {
    let fold = |f: fn(f64, f64) -> f64, start: f64, get: fn(&Point) -> f64| points.iter().map(get).fold(start, f);
    let (west, east) = (fold(f64::min, f64::MAX, |p| p.x), fold(f64::max, f64::MIN, |p| p.x));
    let (north, south) = (fold(f64::min, f64::MAX, |p| p.y), fold(f64::max, f64::MIN, |p| p.y));
    match frame {
        Frame::World => {
            let edge = project(180.0, 0.0).x;
            let margin = 0.05;
            View {
                west: -edge,
                east: edge,
                north: y_of(WORLD_LATITUDES.1.to_radians()).min(north - margin),
                south: y_of(WORLD_LATITUDES.0.to_radians()).max(south + margin),
            }
        }
        Frame::Locator => {
            let (x, y) = ((west + east) / 2.0, (north + south) / 2.0);
            View {
                west: x - LOCATOR_HALF.0,
                east: x + LOCATOR_HALF.0,
                north: y - LOCATOR_HALF.1,
                south: y + LOCATOR_HALF.1,
            }
        }
        Frame::Fit => snapped(fitted(west, north, east, south)),
    }
}

/// The extent of the places with a margin, grown to the smallest span and to an aspect
/// ratio between [`ASPECT`]'s bounds, around its centre.
fn fitted(west: f64, north: f64, east: f64, south: f64) -> View {
    let (x, y) = ((west + east) / 2.0, (north + south) / 2.0);
    let mut half_width = ((east - west) * (0.5 + FIT_MARGIN)).max(MIN_FIT_SPAN / 2.0) + FIT_MARGIN / 2.0;
    let mut half_height = ((south - north) * (0.5 + FIT_MARGIN)).max(MIN_FIT_SPAN / 4.0) + FIT_MARGIN / 2.0;
    half_width = half_width.max(half_height * ASPECT.0);
    half_height = half_height.max(half_width / ASPECT.1);
    View { west: x - half_width, east: x + half_width, north: y - half_height, south: y + half_height }
}

/// `view` grown outwards to a grid whose step is an eighth of the power of two below its
/// larger side: fitted maps of places in the same region get the same view, and so the
/// same outlines, drawn once (see [`cached_outlines`]).
fn snapped(view: View) -> View {
    let side = (view.east - view.west).max(view.south - view.north);
    let step = 2f64.powf(side.log2().floor()) / 8.0;
    View {
        west: (view.west / step).floor() * step,
        north: (view.north / step).floor() * step,
        east: (view.east / step).ceil() * step,
        south: (view.south / step).ceil() * step,
    }
}

/// Outlines drawn for fitted maps, by their centre, view and scale: a person's map and a
/// country's often share them. Kept for the life of the process (the outlines never
/// change), at most [`CACHED_OUTLINES`] of them.
static OUTLINES: LazyLock<Mutex<HashMap<[u64; 6], Arc<str>>>> = LazyLock::new(Default::default);
const CACHED_OUTLINES: usize = 512;

/// The path data of [`outline_path`], from [`OUTLINES`] when drawn before.
fn cached_outlines(centre: f64, view: View, scale: f64) -> Arc<str> {
    let key = [centre, view.west, view.north, view.east, view.south, scale].map(f64::to_bits);
    let cache = || OUTLINES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = cache().get(&key) {
        return Arc::clone(found);
    }
    let mut d = String::new();
    outline_path(&mut d, centre, view, scale);
    let d: Arc<str> = d.into();
    let mut cache = cache();
    if cache.len() < CACHED_OUTLINES {
        cache.insert(key, Arc::clone(&d));
    }
    d
}

/// Appends the path data of the outlines inside `view` (centred on `centre`, drawn at
/// `scale` SVG units per projected unit). Rings are chosen by their bounding box before
/// any is projected, cut at the seam, projected, clipped to the view and drawn with
/// points closer than a fraction of a unit merged.
fn outline_path(d: &mut String, centre: f64, view: View, scale: f64) {
    let margin = 4.0 / scale;
    let clip = View {
        west: view.west - margin,
        east: view.east + margin,
        north: view.north - margin,
        south: view.south + margin,
    };
    let visible = geographic_filter(clip, centre);
    // Half a unit in degrees, where a degree is longest on the map (north–south, at the
    // equator: dy/dφ of Equal Earth is at most A1·M ≈ 1.17).
    let tolerance_degrees = TOLERANCE / (scale * 1.17 * std::f64::consts::PI / 180.0);
    let world = if tolerance_degrees >= topo::COARSE_DEGREES { &topo::WORLD_COARSE } else { &topo::WORLD };
    for ring in world.iter().filter(|r| visible(&r.bbox)) {
        for piece in cut_at_seam(&ring.points, centre) {
            let projected: Vec<Point> = piece.iter().map(|&(lon, lat)| project(lon, lat)).collect();
            let clipped = clip_to(&projected, clip);
            append_ring(d, &clipped, view, scale);
        }
    }
}

/// A test of a ring's bounding box (west, south, east, north in degrees) that passes
/// every ring part of which may lie in `clip`: the latitudes `clip` spans, and the widest
/// longitudes it can reach (at its latitude furthest from the equator).
fn geographic_filter(clip: View, centre: f64) -> impl Fn(&[f64; 4]) -> bool {
    let (north, south) = (lat_of(clip.north), lat_of(clip.south));
    let narrowest = x_per_radian(north.abs().max(south.abs()).to_radians());
    let (west, east) = ((clip.west / narrowest).to_degrees(), (clip.east / narrowest).to_degrees());
    let every_longitude = west <= -180.0 && east >= 180.0;
    move |bbox: &[f64; 4]| {
        let latitudes = bbox[1] <= north && bbox[3] >= south;
        let longitudes = every_longitude
            || [-360.0, 0.0, 360.0].iter().any(|k| bbox[0] + k <= centre + east && bbox[2] + k >= centre + west);
        latitudes && longitudes
    }
}

/// The ring `points` (longitude, latitude) with longitudes made relative to `centre`,
/// cut where it crosses the seam (the meridian opposite `centre`) into pieces that each
/// lie on one side, every piece closed along the seam (or round the pole, for a ring
/// that circles one): drawn as they are, the crossings would streak across the map.
fn cut_at_seam(points: &[(f64, f64)], centre: f64) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    let mut previous: Option<(f64, f64)> = None;
    for &(lon, lat) in points {
        let point = (relative_lon(lon, centre), lat);
        if let Some(before) = previous
            && (point.0 - before.0).abs() > 180.0
        {
            let edge = 180f64.copysign(before.0);
            let beyond = point.0 + 360f64.copysign(before.0);
            let t = (edge - before.0) / (beyond - before.0);
            let crossing = before.1 + t * (point.1 - before.1);
            pieces.last_mut().expect("never empty").push((edge, crossing));
            pieces.push(vec![(-edge, crossing)]);
        }
        pieces.last_mut().expect("never empty").push(point);
        previous = Some(point);
    }
    if pieces.len() == 1 {
        return pieces;
    }
    // The ring is closed: its last piece goes on into its first.
    let first = pieces.remove(0);
    pieces.last_mut().expect("two or more").extend(first);
    pieces.into_iter().map(closed_along_seam).collect()
}

/// Closes a piece that starts and ends on the seam: along the seam if both ends are on
/// the same side of the map, else round the nearer pole (a ring circling a pole).
fn closed_along_seam(mut piece: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let (Some(&(start_edge, start_lat)), Some(&(end_edge, end_lat))) = (piece.first(), piece.last()) else {
        return piece;
    };
    let along = |edge: f64, from: f64, to: f64| {
        let steps = ((to - from).abs() / 2.0).ceil().max(1.0) as usize;
        (1..=steps).map(move |i| (edge, from + (to - from) * i as f64 / steps as f64))
    };
    if start_edge == end_edge {
        piece.extend(along(end_edge, end_lat, start_lat));
        return piece;
    }
    let mean = piece.iter().map(|p| p.1).sum::<f64>() / piece.len() as f64;
    let pole = 90f64.copysign(mean);
    piece.extend(along(end_edge, end_lat, pole));
    let steps = 90;
    piece.extend((1..=steps).map(|i| (end_edge + (start_edge - end_edge) * i as f64 / steps as f64, pole)));
    piece.extend(along(start_edge, pole, start_lat));
    piece
}

/// The polygon `ring` clipped to the rectangle `clip` (Sutherland–Hodgman: one edge of
/// the rectangle at a time). Outside parts fold onto the rectangle's edges, outside the
/// view, where they are not seen.
fn clip_to(ring: &[Point], clip: View) -> Vec<Point> {
    type Inside = fn(&Point, f64) -> bool;
    type Cross = fn(&Point, &Point, f64) -> Point;
    let at_x = |a: &Point, b: &Point, x: f64| Point { x, y: a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x) };
    let at_y = |a: &Point, b: &Point, y: f64| Point { x: a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y), y };
    let edges: [(Inside, Cross, f64); 4] = [
        (|p, v| p.x >= v, at_x, clip.west),
        (|p, v| p.x <= v, at_x, clip.east),
        (|p, v| p.y >= v, at_y, clip.north),
        (|p, v| p.y <= v, at_y, clip.south),
    ];
    let mut points = ring.to_vec();
    for (inside, cross, value) in edges {
        let Some(&last) = points.last() else { break };
        let mut kept = Vec::with_capacity(points.len());
        let mut before = last;
        for p in points {
            match (inside(&before, value), inside(&p, value)) {
                (true, true) => kept.push(p),
                (true, false) => kept.push(cross(&before, &p, value)),
                (false, true) => kept.extend([cross(&before, &p, value), p]),
                (false, false) => {}
            }
            before = p;
        }
        points = kept;
    }
    points
}

/// How far (SVG units) a drawn outline may stray from the true one: about half a pixel
/// where the map is shown at its own size.
const TOLERANCE: f64 = 0.5;

/// Appends `ring` as a closed subpath in SVG units, simplified within [`TOLERANCE`];
/// nothing for a ring too small to see.
fn append_ring(d: &mut String, ring: &[Point], view: View, scale: f64) {
    let mut near: Vec<(f64, f64)> = Vec::with_capacity(ring.len());
    for p in ring {
        let q = ((p.x - view.west) * scale, (p.y - view.north) * scale);
        if near.last().is_none_or(|l| (q.0 - l.0).abs() + (q.1 - l.1).abs() >= TOLERANCE) {
            near.push(q);
        }
    }
    let (min, max) = near.iter().fold(((f64::MAX, f64::MAX), (f64::MIN, f64::MIN)), |(lo, hi), p| {
        ((lo.0.min(p.0), lo.1.min(p.1)), (hi.0.max(p.0), hi.1.max(p.1)))
    });
    if near.len() < 3 || (max.0 - min.0).max(max.1 - min.1) < 2.0 * TOLERANCE {
        return;
    }
    let drawn = simplified(&near, TOLERANCE);
    for (i, (x, y)) in drawn.iter().enumerate() {
        let _ = write!(d, "{}{:.1} {:.1}", if i == 0 { 'M' } else { 'L' }, x, y);
    }
    d.push('Z');
}

/// Appends the markers, largest first so that small ones stay on top and clickable.
fn markers(svg: &mut String, placed: &[(&Place, (f64, f64))], points: &[Point], frame: Frame, view: View, scale: f64) {
    let most = placed.iter().map(|(p, _)| p.count).max().unwrap_or(0).max(1) as f64;
    let radius = |count: usize| match frame {
        Frame::Locator => LOCATOR_RADIUS,
        _ => (MAX_RADIUS * (count as f64 / most).sqrt()).max(MIN_RADIUS),
    };
    let mut order: Vec<usize> = (0..placed.len()).collect();
    order.sort_by(|a, b| {
        placed[*b].0.count.cmp(&placed[*a].0.count).then_with(|| placed[*a].0.name.cmp(placed[*b].0.name))
    });
    svg.push_str("<g class=\"map-markers\">");
    for i in order {
        let (place, point) = (placed[i].0, points[i]);
        let (x, y) = ((point.x - view.west) * scale, (point.y - view.north) * scale);
        let label = escaped(&place.label);
        let _ = write!(
            svg,
            "<a href=\"{}\" aria-label=\"{label}\"><title>{label}</title>\
             <circle class=\"map-marker\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" fill=\"currentColor\" \
             fill-opacity=\"0.6\" stroke=\"currentColor\" stroke-width=\"1\"/></a>",
            escaped(&place.url),
            radius(place.count)
        );
    }
    svg.push_str("</g>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(name: &str, count: usize, lat: f64, lon: f64) -> Place<'_> {
        Place {
            name,
            url: format!("../{}/", name.to_lowercase()),
            count,
            lat: Some(lat),
            lon: Some(lon),
            label: format!("{name}, {count} reports"),
        }
    }

    /// The (x, y) of the markers, in SVG units, in the order drawn.
    fn marker_centres(svg: &str) -> Vec<(f64, f64)> {
        let number =
            |s: &str, key: &str| -> f64 { s.split(key).nth(1).unwrap().split('"').next().unwrap().parse().unwrap() };
        svg.split("<circle").skip(1).map(|c| (number(c, "cx=\""), number(c, "cy=\""))).collect()
    }

    /// Every segment of the outlines' path, as two points in SVG units.
    fn segments(svg: &str) -> Vec<((f64, f64), (f64, f64))> {
        let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let mut all = Vec::new();
        for ring in d.split('Z').filter(|r| !r.is_empty()) {
            let points: Vec<(f64, f64)> = ring
                .split(['M', 'L'])
                .filter(|s| !s.is_empty())
                .map(|s| {
                    let (x, y) = s.split_once(' ').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            all.extend(points.windows(2).map(|w| (w[0], w[1])));
            all.push((*points.last().unwrap(), points[0]));
        }
        all
    }

    /// Asserts no segment of the outlines crosses a third of the map or more, except along
    /// the clip rectangle's edges, outside the view (the seam's streaks would).
    fn assert_no_streaks(map: &MapView) {
        let (w, h) = (map.width as f64, map.height as f64);
        let segments = segments(&map.svg);
        assert!(segments.len() > 100, "{} segments", segments.len());
        for (a, b) in segments {
            let long = (a.0 - b.0).abs() > w / 3.0 || (a.1 - b.1).abs() > h / 3.0;
            let on_edge = (a.0 <= 0.0 && b.0 <= 0.0)
                || (a.0 >= w && b.0 >= w)
                || (a.1 <= 0.0 && b.1 <= 0.0)
                || (a.1 >= h && b.1 >= h);
            assert!(!long || on_edge, "a streak from {a:?} to {b:?} across a {w}x{h} map");
        }
    }

    #[test]
    fn places_across_the_antimeridian_are_drawn_together() {
        // Anadyr (Chukotka) and Suva (Fiji)'s longitude mirrored: 177.5° and -178.5°.
        let places = [place("Anadyr", 2, 64.7, 177.5), place("Islands", 1, -17.0, -178.5)];
        let map = map(&places, Frame::Fit).unwrap();
        let centres = marker_centres(&map.svg);
        assert_eq!(centres.len(), 2);
        let apart = (centres[0].0 - centres[1].0).abs();
        assert!(apart < map.width as f64 / 4.0, "{apart} apart on a map {} wide: {centres:?}", map.width);
        assert_no_streaks(&map);
    }

    #[test]
    fn the_world_cut_at_any_seam_has_no_streaks() {
        for (lat, lon) in [(10.0, 0.0), (50.0, 100.0), (66.0, 179.0), (66.0, -179.0)] {
            let places = [place("A", 1, lat, lon), place("B", 1, 10.0, 178.0), place("C", 1, 0.0, -178.0)];
            assert_no_streaks(&map(&places, Frame::World).unwrap());
            assert_no_streaks(&map(&places[..1], Frame::Fit).unwrap());
        }
    }

    #[test]
    fn a_ring_over_the_antimeridian_is_cut_into_pieces_on_each_side() {
        let square = [(170.0, 0.0), (-170.0, 0.0), (-170.0, 10.0), (170.0, 10.0), (170.0, 0.0)];
        let pieces = cut_at_seam(&square, 0.0);
        assert_eq!(pieces.len(), 2, "{pieces:?}");
        for piece in &pieces {
            let side = piece[1].0.signum();
            assert!(piece.iter().all(|p| p.0.signum() == side), "{piece:?}");
            assert!(piece.iter().any(|p| p.0.abs() == 180.0), "{piece:?}");
        }
        // Centred on the antimeridian the square is one piece, 20° wide.
        let whole = cut_at_seam(&square, 180.0);
        assert_eq!(whole.len(), 1);
        assert!(whole[0].iter().all(|p| p.0.abs() <= 10.0), "{whole:?}");
    }

    #[test]
    fn nearby_places_share_outlines_and_stay_inside_the_frame() {
        let outlines = |svg: &str| svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let one = map(&[place("Weihai", 1, 37.51, 122.12), place("Qingdao", 2, 36.07, 120.38)], Frame::Fit).unwrap();
        let two = map(&[place("Weihai", 1, 37.6, 122.2), place("Qingdao", 2, 36.0, 120.3)], Frame::Fit).unwrap();
        assert_eq!(outlines(&one.svg), outlines(&two.svg));
        for map in [one, two] {
            for (x, y) in marker_centres(&map.svg) {
                assert!(x > 0.0 && x < map.width as f64 && y > 0.0 && y < map.height as f64, "{x},{y}");
            }
        }
    }

    #[test]
    fn markers_grow_by_area_with_a_minimum() {
        let places = [place("Big", 100, 37.5, 122.1), place("Small", 1, 36.1, 120.4), place("None", 0, 39.9, 116.4)];
        let svg = map(&places, Frame::Fit).unwrap().svg;
        let radii: Vec<f64> =
            svg.split(" r=\"").skip(1).map(|s| s.split('"').next().unwrap().parse().unwrap()).collect();
        assert_eq!(radii, vec![MAX_RADIUS, MIN_RADIUS, MIN_RADIUS], "{svg}");
        let quarter = [place("Big", 100, 37.5, 122.1), place("Quarter", 25, 36.1, 120.4)];
        let svg = map(&quarter, Frame::Fit).unwrap().svg;
        assert!(svg.contains(&format!(" r=\"{:.1}\"", MAX_RADIUS / 2.0)), "{svg}");
    }

    #[test]
    fn names_and_links_are_escaped() {
        let mut evil = place("<script>&\"", 1, 10.0, 10.0);
        evil.url = "a\"><script>/".into();
        let svg = map(&[evil], Frame::Locator).unwrap().svg;
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("aria-label=\"&lt;script&gt;&amp;&quot;, 1 reports\""), "{svg}");
        assert!(svg.contains("href=\"a&quot;&gt;&lt;script&gt;/\""), "{svg}");
        roxmltree::Document::parse(&svg).expect("well-formed XML");
    }

    #[test]
    fn places_without_valid_coordinates_are_listed_not_drawn() {
        let mut places = vec![place("Here", 1, 41.3, 69.2)];
        for (lat, lon) in [(f64::NAN, 1.0), (1.0, f64::INFINITY), (91.0, 0.0), (0.0, -180.5)] {
            places.push(place("Nowhere", 1, lat, lon));
        }
        places.push(Place { lat: None, ..place("Unknown", 1, 0.0, 0.0) });
        let map = map(&places, Frame::Fit).unwrap();
        assert_eq!(map.markers, 1);
        assert_eq!(map.unplaced.len(), 5);
        assert_eq!(marker_centres(&map.svg).len(), 1);
        assert!(super::map(&places[1..], Frame::World).is_none());
        assert!(super::map(&[], Frame::Locator).is_none());
    }
}
