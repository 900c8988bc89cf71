using System.Text.Json.Serialization;

namespace FunctionsBench.StateFun;

/// <summary>The playground ingress message <c>greeter.types/UserLogin</c> (JSON).</summary>
/// <param name="UserId">The user's id; also the id of the greeter function instances.</param>
/// <param name="UserName">The user's display name.</param>
/// <param name="LoginType">How the user logged in: <c>WEB</c> or <c>MOBILE</c> (kept as text, passed on as the login location).</param>
public sealed record UserLogin(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("user_name")] string UserName,
    [property: JsonPropertyName("login_type")] string LoginType);

/// <summary>The playground egress record <c>io.statefun.playground/EgressRecord</c> (JSON).</summary>
/// <param name="Topic">The Kafka topic the playground egress writes to.</param>
/// <param name="Payload">The greeting text.</param>
public sealed record EgressRecord(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("payload")] string Payload);

[JsonSerializable(typeof(UserLogin))]
[JsonSerializable(typeof(EgressRecord))]
internal sealed partial class GreeterJsonContext : JsonSerializerContext;
