using System.Text;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.Embedded.Durable;

namespace FunctionsBench.Embedded.Tests;

public sealed class StorageRequestLogTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static readonly IReadOnlyDictionary<string, Uri> Endpoints = new Dictionary<string, Uri>
    {
        ["queue"] = new("http://127.0.0.1:10001/devstoreaccount1"),
    };

    [Theory]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList />", true)]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList></QueueMessagesList>", true)]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList><QueueMessage><MessageId>1</MessageId></QueueMessage></QueueMessagesList>", false)]
    public void IsEmptyReceive_TellsAnEmptyMessageListApart(string body, bool empty)
    {
        Assert.Equal(empty, StorageRequestLog.IsEmptyReceive(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Record_KeepsTimeAndOperationInOrder()
    {
        var log = new StorageRequestLog(Endpoints);

        log.Record("queue.receive", T0);
        log.Record(StorageOperations.EmptyReceive, T0.AddMilliseconds(1));
        log.Record("table.batch", T0.AddMilliseconds(2));

        Assert.Equal([(T0, "queue.receive"), (T0.AddMilliseconds(1), "queue.receive.empty"), (T0.AddMilliseconds(2), "table.batch")], log.Snapshot());
        Assert.True(log.IsComplete);
    }

    [Fact]
    public void Record_UnknownOperation_Throws()
    {
        var log = new StorageRequestLog(Endpoints);

        Assert.Throws<ArgumentOutOfRangeException>(() => log.Record("queue.teleport", T0));
        Assert.Empty(log.Snapshot());
    }
}
