using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Azure.WebJobs;

namespace FunctionsBench.Embedded.Web;

/// <summary>
/// Hands <c>/runtime/webhooks/durabletask/...</c> to the Durable Functions extension, which answers it itself (status,
/// raise event, terminate, purge, entities, starting orchestrations), as the Functions host does for its webhook route.
/// </summary>
internal static class ManagementApiForwarder
{
    /// <summary>Forwards one request and writes the extension's answer.</summary>
    public static async Task ForwardAsync(HttpContext http)
    {
        var extension = (IAsyncConverter<HttpRequestMessage, HttpResponseMessage>)DurableExtensionHost.Extension(http.RequestServices);
        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), new Uri(http.Request.GetEncodedUrl()));
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
            body.Position = 0;
            request.Content = new StreamContent(body);
            if (http.Request.ContentType is { } contentType)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in http.Request.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        }

        using HttpResponseMessage response = await extension.ConvertAsync(request, http.RequestAborted);
        http.Response.StatusCode = (int)response.StatusCode;
        foreach (KeyValuePair<string, IEnumerable<string>> header in response.Headers.Where(h => !h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
        {
            http.Response.Headers[header.Key] = header.Value.ToArray();
        }

        if (response.Content is not null)
        {
            foreach (KeyValuePair<string, IEnumerable<string>> header in response.Content.Headers)
            {
                http.Response.Headers[header.Key] = header.Value.ToArray();
            }

            // The body is copied as it is, so the length the extension computed holds.
            await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
    }
}
