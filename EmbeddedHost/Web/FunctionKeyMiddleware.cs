using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace FunctionsBench.Embedded.Web;

/// <summary>
/// Requires the function key on every request, as an Azure Functions app with function-level authorization does:
/// the <c>x-functions-key</c> header or the <c>code</c> query parameter.
/// </summary>
internal sealed class FunctionKeyMiddleware(RequestDelegate next, EmbeddedWebHostOptions options, ILogger<FunctionKeyMiddleware> logger)
{
    private readonly byte[] key = Encoding.UTF8.GetBytes(options.ApiKey ?? throw new ArgumentException("A function key is required.", nameof(options)));

    public Task InvokeAsync(HttpContext http)
    {
        string? presented = http.Request.Headers["x-functions-key"].FirstOrDefault() ?? http.Request.Query["code"].FirstOrDefault();
        if (presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), this.key))
        {
            return next(http);
        }

        logger.KeyRejected(http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString());
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }
}
