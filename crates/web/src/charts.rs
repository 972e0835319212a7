//! Charts rendered on the server as SVG (charts-rs), one series per chart, one point a day.

use brokercrm_app::sales::dashboard::Point;
use charts_rs::{LineChart, Series};

/// A line chart of `points` named `name`, as an SVG document; empty when it cannot be drawn.
pub fn line(name: &str, points: &[Point]) -> String {
    let labels: Vec<String> = points.iter().map(|p| p.date.format("%d.%m").to_string()).collect();
    #[allow(clippy::cast_precision_loss)]
    let values: Vec<f32> = points.iter().map(|p| p.value as f32).collect();
    let mut chart = LineChart::new(vec![Series::new(name.to_owned(), values)], labels);
    chart.width = 480.0;
    chart.height = 240.0;
    chart.title_text = String::new();
    chart.legend_show = Some(false);
    chart.svg().unwrap_or_else(|e| {
        tracing::warn!(error = %e, "chart not drawn");
        String::new()
    })
}
