using System.Text.Json;
using FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>How a chunk checks each login's greeting against the playground's, byte for byte.</summary>
public sealed partial class StateFunDriver
{
    private sealed partial class ChunkRun
    {
        /// <summary>Checks the last login's outcome; returns its seen count and the delta the profile reported.</summary>
        public (int SeenCount, long LastSeenDeltaMs) Check()
        {
            var userId = request.UserId;
            if (lastProfile is not { } profile)
            {
                throw new StateFunDriverException($"{Greeter.UserFunction}/{userId} sent no UserProfile to {Greeter.GreetingsFunction}/{userId}.");
            }

            if (egressCount != 1)
            {
                throw new StateFunDriverException($"Expected exactly one egress message per login, got {egressCount}.");
            }

            if (egressNamespace != Greeter.Egress.Namespace || egressType != Greeter.Egress.Name
                || egressTypename != Greeter.EgressRecordType.TypeName.FullName)
            {
                throw new StateFunDriverException(
                    $"Expected an {Greeter.EgressRecordType.TypeName} to {Greeter.Egress}, got '{egressTypename}' to '{egressNamespace}/{egressType}'.");
            }

            var expectedCount = state.LastSeenCounts.GetValueOrDefault(userId) + 1;
            if (profile.SeenCount != expectedCount)
            {
                throw new StateFunDriverException(
                    $"Seen count of user '{userId}' should rise by one per login: expected {expectedCount}, got {profile.SeenCount}.");
            }

            var record = egressValue.AsSpan(0, egressValueLength);
            var matches = GreetingText.TryFormat(expectedText, out var length, expectedCount, request.UserName, profile.LastSeenDeltaMs)
                ? EgressRecordReader.Matches(record, Greeter.GreetingsTopic, expectedText.AsSpan(0, length))
                : EgressRecordReader.Matches(record, Greeter.GreetingsTopic, GreetingText.For(expectedCount, request.UserName, profile.LastSeenDeltaMs));
            if (!matches)
            {
                ThrowUnlessEqual(record, expectedCount, profile.LastSeenDeltaMs);
            }

            state.LastSeenCounts[userId] = expectedCount;
            return (expectedCount, profile.LastSeenDeltaMs);
        }

        // The slow path: the full deserializer decides, so a record the reader misjudged is judged as before.
        private void ThrowUnlessEqual(ReadOnlySpan<byte> recordJson, int expectedCount, long deltaMs)
        {
            EgressRecord record;
            try
            {
                record = Greeter.EgressRecordType.Deserialize(recordJson);
            }
            catch (JsonException e)
            {
                throw new StateFunDriverException($"The egress record is not valid JSON: {e.Message}");
            }

            var expectedText = GreetingText.For(expectedCount, request.UserName, deltaMs);
            if (record.Topic != Greeter.GreetingsTopic || record.Payload != expectedText)
            {
                throw new StateFunDriverException(
                    $"Wrong greeting for login {expectedCount} of user '{request.UserId}': expected topic '{Greeter.GreetingsTopic}' and \"{expectedText}\", got topic '{record.Topic}' and \"{record.Payload}\".");
            }
        }
    }
}
