using Azure.Data.Tables;
using FunctionsBench.BenchOrchestrator.History;
using FunctionsBench.Embedded.Run;

namespace FunctionsBench.Embedded.Tests;

/// <summary>How a History table entity becomes a <see cref="HistoryRow"/>.</summary>
public class HistoryTableReaderTests
{
    private static readonly DateTime T0 = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ToRow_HistoryEntity_ReadsHexRowKeyAndEventTimestamp()
    {
        var entity = new TableEntity("run1", "000000000000001A")
        {
            ["EventType"] = "TaskCompleted", ["ExecutionId"] = "e1", ["TaskScheduledId"] = 7, ["EventId"] = -1,
            ["_Timestamp"] = new DateTimeOffset(T0),
        };

        HistoryRow row = HistoryTableReader.ToRow(entity)!;

        Assert.Equal(26, row.Sequence);
        Assert.Equal(7, row.TaskScheduledId);
        Assert.Equal(T0, row.Timestamp);
        Assert.Null(HistoryTableReader.ToRow(new TableEntity("run1", "sentinel") { ["ExecutionId"] = "e1" }));
    }
}
