using System.Text.RegularExpressions;

namespace Encounters.Requests;

/// <summary>
/// The shape of an <c>Idempotency-Key</c>: 1-128 characters a client generates (UUIDs, ULIDs, base64url
/// tokens). Anything else is refused before the key is stored or compared.
/// </summary>
public static partial class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 128;

    [GeneratedRegex(@"\A[A-Za-z0-9._:~+/=-]{1,128}\z")]
    private static partial Regex Shape();

    /// <summary>The header's error, or null when it is absent or well formed.</summary>
    public static string? Error(HttpRequest request) =>
        request.Headers.TryGetValue(Header, out var values) && (values.Count != 1 || !Shape().IsMatch(values[0] ?? ""))
            ? $"One key of 1-{MaxLength} characters of A-Z, a-z, 0-9 and . _ : ~ + / = -."
            : null;
}
