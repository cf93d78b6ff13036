//! A chart as a report holds it: its file stem, a heading for the page, and its bytes
//! ([`crate::plot`] draws them). Every command's charts go through [`Rendered::queue`] into the
//! command's [`OutputSet`]: the one way a chart becomes files.

use super::output::OutputSet;
use crate::plot::{ChartBytes, PlotError};

/// One rendered chart.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// File stem, e.g. `splits` (the files are `<stem>.png`, `<stem>.svg` and, drawn for a
    /// phone, `<stem>-narrow.svg`).
    pub stem: String,
    /// A heading for the chart in a report.
    pub heading: String,
    /// The chart.
    pub bytes: ChartBytes,
}

impl Rendered {
    /// A chart drawn by `draw` (one of the [`crate::plot`] functions), named `stem`.
    ///
    /// # Errors
    /// [`PlotError`] if drawing fails.
    pub fn draw(
        stem: &str,
        heading: &str,
        draw: impl FnOnce() -> Result<ChartBytes, PlotError>,
    ) -> Result<Rendered, PlotError> {
        Ok(Rendered {
            stem: stem.into(),
            heading: heading.into(),
            bytes: draw()?,
        })
    }

    /// Queue `<stem>.png`, `<stem>.svg` and the phone's drawing `<stem>-narrow.svg`.
    pub fn queue(&self, files: &mut OutputSet) {
        files.add(format!("{}.png", self.stem), self.bytes.png.clone());
        files.add(
            format!("{}.svg", self.stem),
            self.bytes.svg.clone().into_bytes(),
        );
        files.add(
            narrow_file(&self.stem),
            self.bytes.narrow_svg.clone().into_bytes(),
        );
    }
}

/// The file of a chart's narrow (phone) drawing: `<stem>-narrow.svg`.
pub fn narrow_file(stem: &str) -> String {
    format!("{stem}-narrow.svg")
}

/// A cap for a progression chart's gap axis when one or two runners end far behind the rest
/// (a runner who jogs in would squash everyone else into the top strip): runners whose largest
/// gap is over 3 × the median runner's (and over 3 s) are let off the chart, which ends 15 %
/// below the largest gap of the others. `None` when nobody is that far off.
pub fn gap_cap(series: &[Vec<(f64, f64)>]) -> Option<f64> {
    let mut maxes: Vec<f64> = series
        .iter()
        .filter_map(|s| {
            s.iter()
                .map(|p| p.1)
                .filter(|g| g.is_finite())
                .fold(None, |m: Option<f64>, g| Some(m.map_or(g, |m| m.max(g))))
        })
        .collect();
    if maxes.len() < 3 {
        return None;
    }
    maxes.sort_by(f64::total_cmp);
    let limit = (3.0 * maxes[maxes.len() / 2]).max(3.0);
    let inner = maxes
        .iter()
        .copied()
        .filter(|m| *m <= limit)
        .fold(0.0, f64::max);
    (*maxes.last()? > limit).then(|| (1.15 * inner).max(2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gap_axis_is_cut_only_for_far_outliers() {
        let line = |g: f64| vec![(0.0, 0.0), (1500.0, g)];
        let field: Vec<_> = [0.0, 0.7, 1.1, 1.4, 1.5, 2.2, 3.0, 4.5]
            .iter()
            .map(|&g| line(g))
            .collect();
        assert_eq!(gap_cap(&field), None);
        let mut with_jogger = field.clone();
        with_jogger.push(line(31.0));
        let c = gap_cap(&with_jogger).unwrap();
        assert!((c - 1.15 * 4.5).abs() < 1e-9);
    }

    #[test]
    fn a_chart_queues_its_three_files() {
        let r = Rendered::draw("pit", "PIT", || {
            crate::plot::pit_chart(&crate::plot::PitData {
                counts: vec![1, 2, 3],
                ..Default::default()
            })
        })
        .unwrap();
        let mut o = OutputSet::new();
        r.queue(&mut o);
        assert_eq!(
            o.names(),
            [
                std::path::Path::new("pit.png"),
                std::path::Path::new("pit.svg"),
                std::path::Path::new("pit-narrow.svg")
            ]
        );
    }
}
