using System.Text.Json;

namespace FunctionsBench.StateFun;

/// <summary>
/// Compares a playground <c>EgressRecord</c> (<c>{"topic":…,"payload":…}</c>) with the expected topic and text
/// without building strings, as System.Text.Json would read it: exact property names, the last of a repeated
/// property counts, other properties ignored, one JSON value and nothing after it.
/// </summary>
internal static class EgressRecordReader
{
    /// <summary>True when the record's topic and payload are exactly these; false for any other or unreadable record.</summary>
    public static bool Matches(ReadOnlySpan<byte> json, string topic, ReadOnlySpan<char> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            bool? topicMatches = null;
            bool? payloadMatches = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTopic = reader.ValueTextEquals("topic"u8);
                var isPayload = !isTopic && reader.ValueTextEquals("payload"u8);
                reader.Read();
                if (isTopic)
                {
                    topicMatches = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(topic);
                }
                else if (isPayload)
                {
                    payloadMatches = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(payload);
                }
                else
                {
                    reader.Skip();
                }
            }

            // Trailing bytes after the object make the reader throw, as the deserializer does.
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() && topicMatches == true && payloadMatches == true;
        }
        catch (JsonException)
        {
            // Unreadable: the caller's full deserializer produces the error message.
            return false;
        }
    }
}
