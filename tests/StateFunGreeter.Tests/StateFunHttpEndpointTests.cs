using System.Net;
using System.Net.Http.Headers;
using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsBench.StateFun.Tests;

public class StateFunHttpEndpointTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri Root => fixture.Server.BaseAddress;

    [Fact]
    public void StartAsync_PortZero_BindsEphemeralLoopbackPort()
    {
        Assert.Equal("127.0.0.1", Root.Host);
        Assert.NotEqual(0, Root.Port);
    }

    [Fact]
    public void StartAsync_Standalone_TurnsOnKestrelsInlineScheduling()
    {
        // The setting that makes Kestrel run a request on the thread that read it: the figures of ./bench statefun and
        // statefun-compare are measured with it. Which thread runs a request is not observable from here; the option is.
        Assert.True(fixture.Server.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
    }

    [Fact]
    public async Task StartAsync_InlineSchedulingOff_LeavesTheOptionOffAndServes()
    {
        await using var server = await StateFunServer.StartAsync(0, "127.0.0.1", handler: null, noopPath: null, inlineScheduling: false, CancellationToken.None);
        var request = TestRequests.Batch(TestRequests.GreetingsAddress(), TestRequests.UserAddress(), TestRequests.Profile("Joe", 1, 0));

        using var response = await PostAsync(server.BaseAddress, request.ToByteArray());

        Assert.False(server.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_ValidGreetingsRequest_Returns200WithExactOctetStreamAndReply()
    {
        var request = TestRequests.Batch(TestRequests.GreetingsAddress(), TestRequests.UserAddress(), TestRequests.Profile("Joe", 2, 5));

        using var response = await PostAsync(new Uri(Root, "any/path/here"), request.ToByteArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.ToString());
        var reply = FromFunction.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("Nice to see you again Joe.", Assert.Single(reply.InvocationResult.OutgoingEgresses).Argument.Value.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AnyPath_Returns405()
    {
        using var response = await fixture.Client.GetAsync(Root);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Post_JsonContentType_Returns415()
    {
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");

        using var response = await fixture.Client.PostAsync(Root, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Post_MalformedProtobuf_Returns400WithReason()
    {
        using var response = await PostAsync(Root, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("ToFunction", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_TruncatedProtobuf_Returns400()
    {
        var bytes = TestRequests.UserBatch(3, 1000, TestRequests.Login()).ToByteArray();

        using var response = await PostAsync(Root, bytes[..^7]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_EmptyBody_Returns400()
    {
        using var response = await PostAsync(Root, []);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_ContentLengthOverOneMebibyte_Returns413()
    {
        using var response = await PostAsync(Root, new byte[StateFunHttpEndpoint.MaxBodyBytes + 1]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_ChunkedBodyOverOneMebibyte_Returns413()
    {
        // A stream of unknown length makes HttpClient send chunked, so only the read loop can catch the size.
        using var content = new StreamContent(new UnknownLengthStream(new MemoryStream(new byte[(2 * StateFunHttpEndpoint.MaxBodyBytes) + 10])));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await fixture.Client.PostAsync(Root, content);

        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_UserFunctionGetsUnknownType_Returns500AndServerKeepsServing()
    {
        var request = TestRequests.UserBatch(null, null, TestRequests.Value("io.statefun.types/int", [0x0d, 1, 0, 0, 0]));

        using var failed = await PostAsync(Root, request.ToByteArray());
        using var next = await PostAsync(Root, TestRequests.UserBatch(null, null, TestRequests.Login()).ToByteArray());

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Post_UnknownFunctionType_Returns404()
    {
        var request = TestRequests.Batch(new Protocol.Address { Namespace = "greeter.fns", Type = "nobody", Id = "1" }, null, TestRequests.Login());

        using var response = await PostAsync(Root, request.ToByteArray());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_HandshakeRequest_Returns200WithIncompleteContext()
    {
        var request = TestRequests.Batch(TestRequests.UserAddress(), null, TestRequests.Login());

        using var response = await PostAsync(Root, request.ToByteArray());

        var reply = FromFunction.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, reply.IncompleteInvocationContext.MissingValues.Count);
    }

    private async Task<HttpResponseMessage> PostAsync(Uri uri, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await fixture.Client.PostAsync(uri, content);
    }

    private sealed class UnknownLengthStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
