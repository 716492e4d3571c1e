using System.Globalization;
using System.Net;
using System.Text;

namespace Decisioning.LoadTest.Reporting;

internal sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points, double Width = 1.5, bool Dashed = false);

/// <summary>
/// Line charts as inline SVG, so the report opens offline and prints as it shows: no script, no
/// font or library from anywhere.
/// </summary>
internal static class SvgChart
{
    private const double Width = 920, Height = 320;
    private const double Left = 70, Right = 36, Top = 34, Bottom = 46;

    public static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf"];

    public static string Line(
        string id,
        string title,
        string xLabel,
        string yLabel,
        IReadOnlyList<Series> series,
        Func<double, string> yFormat,
        IReadOnlyList<(double Value, string Label)>? xTicks = null,
        Func<double, string>? xFormat = null,
        double? xStart = null)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg id="{id}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {Width} {Height}" role="img" aria-label="{Escape(title)}">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<title>{Escape(title)}</title><text x="{Left}" y="20" class="chart-title">{Escape(title)}</text>""");

        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (points.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width / 2}" y="{Height / 2}" text-anchor="middle" class="chart-empty">no data</text></svg>""");
            return svg.ToString();
        }

        var (xMin, xMax) = (xTicks?.Min(t => t.Value) ?? xStart ?? points.Min(p => p.X), xTicks?.Max(t => t.Value) ?? points.Max(p => p.X));
        if (xMax <= xMin)
        {
            xMax = xMin + 1;
        }

        var yStep = NiceStep(Math.Max(points.Max(p => p.Y), 1e-9) / 5);
        var yMax = Math.Ceiling(points.Max(p => p.Y) / yStep) * yStep;
        if (yMax <= 0)
        {
            yMax = yStep;
        }

        double X(double x) => Left + ((Math.Clamp(x, xMin, xMax) - xMin) / (xMax - xMin) * (Width - Left - Right));
        double Y(double y) => Height - Bottom - (y / yMax * (Height - Top - Bottom));

        // Grid and y axis.
        for (var y = 0.0; y <= yMax + (yStep / 2); y += yStep)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - Right}" y1="{Y(y):0.#}" y2="{Y(y):0.#}" class="grid"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 6}" y="{Y(y) + 4:0.#}" text-anchor="end" class="tick">{Escape(yFormat(y))}</text>""");
        }

        // x axis.
        var ticks = xTicks ?? NiceTicks(xMin, xMax).Select(v => (v, (xFormat ?? (t => t.ToString("0.##", CultureInfo.InvariantCulture)))(v))).ToList();
        foreach (var (value, label) in ticks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{X(value):0.#}" x2="{X(value):0.#}" y1="{Top}" y2="{Height - Bottom}" class="grid"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{X(value):0.#}" y="{Height - Bottom + 16}" text-anchor="middle" class="tick">{Escape(label)}</text>""");
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - Right}" y1="{Height - Bottom}" y2="{Height - Bottom}" class="axis"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Left}" y1="{Top}" y2="{Height - Bottom}" class="axis"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{(Left + Width - Right) / 2}" y="{Height - 8}" text-anchor="middle" class="label">{Escape(xLabel)}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text transform="translate(16 {(Top + Height - Bottom) / 2}) rotate(-90)" text-anchor="middle" class="label">{Escape(yLabel)}</text>""");

        // Series, then the legend above the plot.
        var legendX = Width - Right;
        for (var i = series.Count - 1; i >= 0; i--)
        {
            var s = series[i];
            var path = string.Join(' ', s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):0.#},{Y(p.Y):0.#}")));
            var dash = s.Dashed ? """ stroke-dasharray="5 3" """ : " ";
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline class="series" points="{path}" fill="none" stroke="{s.Color}" stroke-width="{s.Width}"{dash}><title>{Escape(s.Name)}</title></polyline>""");
            if (s.Points.Count == 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{X(s.Points[0].X):0.#}" cy="{Y(s.Points[0].Y):0.#}" r="3" fill="{s.Color}"/>""");
            }

            var labelWidth = 14 + (s.Name.Length * 7);
            legendX -= labelWidth + 18;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{legendX}" x2="{legendX + 14}" y1="16" y2="16" stroke="{s.Color}" stroke-width="3"/><text x="{legendX + 18}" y="20" class="legend">{Escape(s.Name)}</text>""");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    public static double NiceStep(double rough)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var normalised = rough / magnitude;
        return magnitude * normalised switch
        {
            <= 1 => 1,
            <= 2 => 2,
            <= 2.5 => 2.5,
            <= 5 => 5,
            _ => 10,
        };
    }

    private static IEnumerable<double> NiceTicks(double min, double max)
    {
        var step = NiceStep((max - min) / 8);
        for (var v = Math.Ceiling(min / step) * step; v <= max + (step / 1000); v += step)
        {
            yield return v;
        }
    }

    public static string Escape(string text) => WebUtility.HtmlEncode(text);
}
