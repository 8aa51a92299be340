//! The Equal Earth projection (Šavrič, Patterson and Jenny, 2018): an equal-area world
//! projection, so a country's area on the map compares truly with another's. Longitudes
//! are taken relative to a central meridian, which [`central_meridian`] picks so that the
//! places on a map are never split by the map's edge (the seam, opposite the centre).

use std::f64::consts::PI;

const A1: f64 = 1.340264;
const A2: f64 = -0.081106;
const A3: f64 = 0.000893;
const A4: f64 = 0.003796;
/// √3 / 2.
const M: f64 = 0.866_025_403_784_438_6;

/// A point in projected units: `x` east, `y` south (as in SVG), both about ±2.7 at most.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// The parametric latitude θ of `lat` (radians).
fn theta(lat: f64) -> f64 {
    (M * lat.sin()).asin()
}

/// How far east one radian of longitude goes at latitude `lat` (radians).
pub fn x_per_radian(lat: f64) -> f64 {
    let t = theta(lat);
    let t2 = t * t;
    t.cos() / (M * (A1 + 3.0 * A2 * t2 + t2 * t2 * t2 * (7.0 * A3 + 9.0 * A4 * t2)))
}

/// The projected `y` (south positive) of latitude `lat` (radians).
pub fn y_of(lat: f64) -> f64 {
    let t = theta(lat);
    let t2 = t * t;
    -t * (A1 + A2 * t2 + t2 * t2 * t2 * (A3 + A4 * t2))
}

/// Longitude `lon` (degrees) relative to the central meridian `centre`, in [-180, 180).
pub fn relative_lon(lon: f64, centre: f64) -> f64 {
    (lon - centre + 540.0).rem_euclid(360.0) - 180.0
}

/// Projects a point given by its longitude relative to the central meridian and its
/// latitude, both in degrees.
pub fn project(relative_lon: f64, lat: f64) -> Point {
    let (lon, lat) = (relative_lon.to_radians(), lat.clamp(-90.0, 90.0).to_radians());
    Point { x: lon * x_per_radian(lat), y: y_of(lat) }
}

/// The latitude (degrees) whose projected `y` is `y` (clamped to the poles): `y_of` is
/// monotonic, so bisection finds it.
pub fn lat_of(y: f64) -> f64 {
    let (mut south, mut north) = (-PI / 2.0, PI / 2.0);
    for _ in 0..48 {
        let mid = (south + north) / 2.0;
        if y_of(mid) > y { south = mid } else { north = mid }
    }
    ((south + north) / 2.0).to_degrees()
}

/// The central meridian (degrees) for places at `lons` (degrees, any order): the middle
/// of the shortest arc of longitude holding them all, so that the seam falls in the
/// widest gap between them. Cities at 179° and -179° get 180°, not 0°.
pub fn central_meridian(lons: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = lons.iter().map(|l| l.rem_euclid(360.0)).collect();
    sorted.sort_by(f64::total_cmp);
    let Some((&first, &last)) = sorted.first().zip(sorted.last()) else { return 0.0 };
    // The widest gap, between a place and the next one eastwards (wrapping at the end).
    let (mut gap, mut east_end) = (first + 360.0 - last, first);
    for pair in sorted.windows(2) {
        if pair[1] - pair[0] > gap {
            (gap, east_end) = (pair[1] - pair[0], pair[1]);
        }
    }
    // The places span 360° - gap, starting at the east end of the gap.
    relative_lon(east_end + (360.0 - gap) / 2.0, 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn known_points_of_equal_earth() {
        // The extent of the projection from its paper: x 2.7066297, y 1.3173627.
        let east = project(180.0, 0.0);
        assert!(close(east.x, 2.706_629_7) && close(east.y, 0.0), "{east:?}");
        let pole = project(0.0, 90.0);
        assert!(close(pole.x, 0.0) && close(pole.y, -1.317_362_7), "{pole:?}");
        let south = project(-90.0, -45.0);
        assert!(south.x < 0.0 && south.y > 0.0, "{south:?}");
        // Equal area: a degree square at 60° is as large as at the equator times cos 60°.
        let area = |lat: f64| {
            let width = project(1.0, lat + 0.5).x;
            width * (project(0.0, lat).y - project(0.0, lat + 1.0).y)
        };
        let ratio = area(60.0) / area(0.0);
        let expected = (61f64.to_radians().sin() - 60f64.to_radians().sin()) / 1f64.to_radians().sin();
        assert!((ratio - expected).abs() < 1e-3, "{ratio} vs {expected}");
    }

    #[test]
    fn latitudes_come_back_from_y() {
        for lat in [-90.0, -37.5, 0.0, 12.25, 89.0] {
            assert!((lat_of(project(0.0, lat).y) - lat).abs() < 1e-6, "{lat}");
        }
    }

    #[test]
    fn the_centre_is_the_middle_of_the_shortest_arc() {
        assert!(close(central_meridian(&[100.0, 120.0]), 110.0));
        assert!(close(central_meridian(&[179.0, -179.0]).abs(), 180.0));
        assert!(close(central_meridian(&[170.0, -170.0, 175.0]).abs(), 180.0));
        assert!(close(central_meridian(&[-10.0, 30.0, 50.0]), 20.0));
        assert!(close(central_meridian(&[]), 0.0));
        // Relative longitudes keep places across the antimeridian next to each other.
        let (a, b) = (relative_lon(179.0, 180.0), relative_lon(-179.0, 180.0));
        assert!(close(a, -1.0) && close(b, 1.0), "{a} {b}");
    }
}
