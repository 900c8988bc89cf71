namespace FunctionsBench.BenchOrchestrator.Report.Svg;

/// <summary>The shape drawn at each point of a series.</summary>
public enum Marker
{
    /// <summary>No marker: a line only.</summary>
    None,

    /// <summary>A circle.</summary>
    Circle,

    /// <summary>A square.</summary>
    Square,

    /// <summary>A triangle pointing up.</summary>
    Triangle,

    /// <summary>A diamond.</summary>
    Diamond,
}

/// <summary>One series of a chart.</summary>
/// <param name="Name">Its legend entry.</param>
/// <param name="Points">Its points, in drawing order.</param>
/// <param name="Style">How it is drawn.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points, SeriesStyle Style);

/// <summary>How a series is drawn: colour, marker, and whether its line is dashed and its markers hollow (reference series).</summary>
public sealed record SeriesStyle(string Color, Marker Marker, bool Dashed = false, bool Hollow = false)
{
    /// <summary>The style of a reference series (the thesis): the same colour and marker, dashed and hollow.</summary>
    public SeriesStyle AsReference() => this with { Dashed = true, Hollow = true };
}

/// <summary>A vertical line across the plot at <paramref name="X"/>: a unit boundary (strong, labelled) or a checkpoint (faint).</summary>
public sealed record ChartMark(double X, string? Label, bool Strong);

/// <summary>The colours and markers of the scenarios, the same on every chart (and for the thesis' series of the same scenario).</summary>
public static class ScenarioStyles
{
    /// <summary>The style of <paramref name="scenario"/>.</summary>
    public static SeriesStyle Of(string scenario)
        => (Scenarios.IsKnown(scenario) ? Scenarios.Get(scenario).Style : null) ?? new("#666666", Marker.Circle);
}
