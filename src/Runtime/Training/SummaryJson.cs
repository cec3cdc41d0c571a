using System.Text.Json;
using System.Text.Json.Serialization;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// The one JSON form of every run summary (<c>--summary-json</c>): snake_case keys, indented, and
/// NaN or infinity written as such (a figure never measured stays NaN instead of failing the write).
/// </summary>
internal static class SummaryJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary><paramref name="summary"/> as JSON.</summary>
    public static string Serialize<T>(T summary) => JsonSerializer.Serialize(summary, Options);
}
