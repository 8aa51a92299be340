//! The world's outlines: Natural Earth's countries at 1:50m from the npm package
//! `world-atlas` (assets/world-atlas/, public domain), embedded in the binary as TopoJSON
//! and decoded once, on first use, into rings of longitude/latitude.
//!
//! TopoJSON stores each border once, as an arc shared by the countries on both sides;
//! arcs are quantized (integers, scaled and translated by the topology's `transform`) and
//! delta-encoded (each position is the offset from the one before). A polygon names its
//! rings' arcs by index, `~i` (that is `-i - 1`) for arc `i` walked backwards. Decoding
//! is a page of code, so it is done here rather than through the `topojson` crate (not
//! released since 2022, and it converts through `geojson`).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// The embedded outlines (about 740 KiB of JSON).
const COUNTRIES_50M: &str = include_str!("../../../assets/world-atlas/countries-50m.json");

/// Every ring (outer boundaries and holes alike) of every country, decoded on first use.
pub static WORLD: LazyLock<Vec<Ring>> = LazyLock::new(|| decode(COUNTRIES_50M, "countries").unwrap_or_default());

/// How far (degrees) [`WORLD_COARSE`] strays from [`WORLD`].
pub const COARSE_DEGREES: f64 = 0.1;

/// [`WORLD`] simplified within [`COARSE_DEGREES`], islands smaller than that left out: for
/// maps of a continent or the world, where a tenth of a degree is under half a unit, so
/// that each projects a fraction of the points.
pub static WORLD_COARSE: LazyLock<Vec<Ring>> = LazyLock::new(|| {
    let small = |r: &Ring| (r.bbox[2] - r.bbox[0]).max(r.bbox[3] - r.bbox[1]) < COARSE_DEGREES;
    let coarse = |r: &Ring| Ring { points: super::simplify::simplified(&r.points, COARSE_DEGREES), bbox: r.bbox };
    WORLD.iter().filter(|r| !small(r)).map(coarse).collect()
});

/// A closed ring of (longitude, latitude) in degrees, with its bounding box.
#[derive(Debug, Clone, PartialEq)]
pub struct Ring {
    pub points: Vec<(f64, f64)>,
    /// West, south, east, north.
    pub bbox: [f64; 4],
}

#[derive(Deserialize)]
struct Topology {
    transform: Option<Transform>,
    arcs: Vec<Vec<Vec<f64>>>,
    objects: BTreeMap<String, Geometry>,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

/// A TopoJSON geometry, by its `type` (the names are the format's).
#[derive(Deserialize)]
#[serde(tag = "type")]
#[allow(clippy::enum_variant_names)]
enum Geometry {
    GeometryCollection {
        geometries: Vec<Geometry>,
    },
    Polygon {
        arcs: Vec<Vec<i64>>,
    },
    MultiPolygon {
        arcs: Vec<Vec<Vec<i64>>>,
    },
    /// Points and lines: not outlines, left out.
    #[serde(other)]
    Other,
}

/// The rings of every polygon of object `object` of the TopoJSON `text`.
pub fn decode(text: &str, object: &str) -> Result<Vec<Ring>, String> {
    let topology: Topology = serde_json::from_str(text).map_err(|e| format!("not a TopoJSON topology: {e}"))?;
    let arcs = absolute_arcs(&topology);
    let geometry = topology.objects.get(object).ok_or_else(|| format!("no object \"{object}\""))?;
    let mut rings = Vec::new();
    collect_rings(geometry, &arcs, &mut rings)?;
    Ok(rings)
}

/// Every arc as positions in degrees: the deltas summed and the transform applied.
fn absolute_arcs(topology: &Topology) -> Vec<Vec<(f64, f64)>> {
    let position = |x: f64, y: f64| match &topology.transform {
        Some(t) => (x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]),
        None => (x, y),
    };
    let quantized = topology.transform.is_some();
    topology
        .arcs
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0.0, 0.0);
            arc.iter()
                .filter(|p| p.len() >= 2)
                .map(|p| {
                    (x, y) = if quantized { (x + p[0], y + p[1]) } else { (p[0], p[1]) };
                    position(x, y)
                })
                .collect()
        })
        .collect()
}

fn collect_rings(geometry: &Geometry, arcs: &[Vec<(f64, f64)>], rings: &mut Vec<Ring>) -> Result<(), String> {
    match geometry {
        Geometry::GeometryCollection { geometries } => {
            geometries.iter().try_for_each(|g| collect_rings(g, arcs, rings))?;
        }
        Geometry::Polygon { arcs: polygon } => {
            for ring in polygon {
                rings.push(ring_of(ring, arcs)?);
            }
        }
        Geometry::MultiPolygon { arcs: polygons } => {
            for ring in polygons.iter().flatten() {
                rings.push(ring_of(ring, arcs)?);
            }
        }
        Geometry::Other => {}
    }
    Ok(())
}

/// A ring from its arc indexes: the arcs joined, each after the first without its first
/// position (the last of the arc before).
fn ring_of(indexes: &[i64], arcs: &[Vec<(f64, f64)>]) -> Result<Ring, String> {
    let mut points: Vec<(f64, f64)> = Vec::new();
    for &index in indexes {
        let (arc, reversed) = if index < 0 { (!index, true) } else { (index, false) };
        let arc = usize::try_from(arc).ok().and_then(|i| arcs.get(i)).ok_or_else(|| format!("no arc {index}"))?;
        let skip = usize::from(!points.is_empty());
        if reversed {
            points.extend(arc.iter().rev().skip(skip));
        } else {
            points.extend(arc.iter().skip(skip));
        }
    }
    let bbox = points.iter().fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, &(x, y)| {
        [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)]
    });
    Ok(Ring { points, bbox })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two squares sharing an edge (arc 1, walked backwards by the second square), a
    /// hole-less multipolygon, and a point that is not an outline.
    const TINY: &str = r#"{
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [100, -10]},
        "arcs": [
            [[2, 0], [-2, 0], [0, 4], [2, 0]],
            [[2, 4], [0, -4]],
            [[2, 4], [2, 0], [0, -4], [-2, 0]]
        ],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "id": "A", "properties": {"name": "West"}},
            {"type": "MultiPolygon", "arcs": [[[2, -2]]]},
            {"type": "Point", "coordinates": [1, 1]}
        ]}}
    }"#;

    #[test]
    fn arcs_are_summed_scaled_shared_and_reversed() {
        let rings = decode(TINY, "countries").unwrap();
        assert_eq!(rings.len(), 2);
        // Arc 0: (2,0) (0,0) (0,4) (2,4) -> (101,-10) (100,-10) (100,-9) (101,-9); arc 1 goes on.
        assert_eq!(rings[0].points, vec![(101.0, -10.0), (100.0, -10.0), (100.0, -9.0), (101.0, -9.0), (101.0, -10.0)]);
        assert_eq!(rings[0].bbox, [100.0, -10.0, 101.0, -9.0]);
        // Arc 2 then arc 1 backwards: the shared edge from (101,-10) up to (101,-9).
        assert_eq!(rings[1].points, vec![(101.0, -9.0), (102.0, -9.0), (102.0, -10.0), (101.0, -10.0), (101.0, -9.0)]);
    }

    #[test]
    fn bad_topologies_are_errors() {
        assert!(decode("{}", "countries").is_err());
        assert!(decode(TINY, "land").is_err());
        let broken = TINY.replace("[[[2, -2]]]", "[[[7]]]");
        assert_eq!(decode(&broken, "countries").unwrap_err(), "no arc 7");
    }

    #[test]
    fn the_embedded_world_decodes() {
        assert!(WORLD.len() > 1000, "{} rings", WORLD.len());
        let east = WORLD.iter().map(|r| r.bbox[2]).fold(f64::MIN, f64::max);
        assert!((179.0..=180.0).contains(&east), "{east}");
        let points = |rings: &[Ring]| rings.iter().map(|r| r.points.len()).sum::<usize>();
        assert!(points(&WORLD_COARSE) * 3 < points(&WORLD), "{} of {}", points(&WORLD_COARSE), points(&WORLD));
    }
}
