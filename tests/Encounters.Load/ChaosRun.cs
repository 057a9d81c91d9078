using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Encounters.Load;

/// <summary>
/// <c>make chaos</c>'s clients: short visits spread round-robin over several nodes, each write retried with its
/// own Idempotency-Key on 5xx, 409 in-progress and connection errors until acknowledged (60 s at most). After
/// the load: time until every async projection reaches the newest event, then every acknowledged write is
/// looked up in the event store (exactly once). Nodes and PostgreSQL are killed by scripts/chaos.sh meanwhile.
/// </summary>
public sealed class ChaosRun(string[] args)
{
    private readonly string[] _urls = Options.Arg(args, "urls", "http://127.0.0.1:5091").Split(',');
    private readonly string _db = Options.Arg(args, "db", "");
    private readonly int _seconds = int.Parse(Options.Arg(args, "seconds", "40"));
    private readonly int _users = int.Parse(Options.Arg(args, "users", "12"));
    private readonly string _key = Options.Arg(args, "key", "");

    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) }) { Timeout = TimeSpan.FromSeconds(15) };
    private readonly ConcurrentDictionary<string, int> _seen = new(); // what clients saw that was not a success
    private readonly ConcurrentBag<string> _samples = [];              // bodies of 500s, and writes given up on
    private readonly ConcurrentBag<(string Type, string Key)> _acknowledged = [];
    private int _next, _givenUp, _chartReads;
    private long _attempts;

    private static readonly string[] Types = ["patient_registered", "encounter_planned", "patient_checked_in", "vital_signs_recorded"];

    public async Task<int> ExecuteAsync()
    {
        var clinics = Enumerable.Range(0, 3).Select(t => new Clinic($"chaos-{t}", "clinic-1", _key)).ToArray();
        var stop = DateTime.UtcNow.AddSeconds(_seconds);
        using var loadOver = new CancellationTokenSource();
        var watch = ChaosProgress.Watch(_db, loadOver.Token);
        await Task.WhenAll(Enumerable.Range(0, _users).Select(i => User(clinics[i % clinics.Length], stop)));
        await loadOver.CancelAsync();
        await watch;
        Console.Error.WriteLine($"chaos: load ended, {_acknowledged.Count} writes acknowledged; waiting for the projections");
        var catchUpMs = await ChaosProgress.CatchUp(_db);
        var (lost, duplicated, unacknowledged) = await Verify();
        var audited = await ChaosProgress.ChartReadsAudited(_db, _chartReads);

        var fivexx = _seen.Where(s => s.Key.StartsWith('5')).Sum(s => s.Value);
        var md = new StringBuilder();
        md.AppendLine("| figure | value |").AppendLine("|---|---|");
        md.AppendLine($"| requests sent (with retries) | {_attempts} |");
        md.AppendLine($"| acknowledged writes | {_acknowledged.Count} |");
        md.AppendLine($"| lost / duplicated acknowledged writes | {lost} / {duplicated} |");
        md.AppendLine($"| stored but never acknowledged (client gave up) | {unacknowledged} |");
        md.AppendLine($"| writes given up after 60 s of retries | {_givenUp} |");
        md.AppendLine($"| 5xx answers (all) / 500 answers | {fivexx} / {_seen.GetValueOrDefault("500")} |");
        md.AppendLine($"| chart reads answered / audited (chart_viewed events) | {_chartReads} / {audited} |");
        md.AppendLine($"| projection catch-up after the load ended | {(catchUpMs is { } ms ? $"{ms / 1000.0:F1} s" : "not within 120 s")} |");
        md.AppendLine();
        md.AppendLine("What clients saw besides successes: " +
                      (_seen.IsEmpty ? "nothing" : string.Join(", ", _seen.OrderBy(s => s.Key).Select(s => $"{s.Key} ×{s.Value}"))));
        foreach (var sample in _samples.Take(5)) md.AppendLine($"- {sample}");
        Console.WriteLine(md.ToString());
        return lost == 0 && duplicated == 0 && _seen.GetValueOrDefault("500") == 0 && catchUpMs <= 5000 && audited == _chartReads ? 0 : 1;
    }

    /// <summary>One client: register → plan → check in → read → three vitals (each pulse names its write), until the end.</summary>
    private async Task User(Clinic clinic, DateTime stop)
    {
        while (DateTime.UtcNow < stop)
        {
            var name = $"Chaos {Guid.NewGuid():N}";
            var patient = await Send(clinic, "receptionist", HttpMethod.Post, "/api/patients", new { fullName = name, dateOfBirth = "1980-05-17", sex = "female" });
            if (patient is null) continue;
            _acknowledged.Add(("patient_registered", name));
            var encounter = await Send(clinic, "receptionist", HttpMethod.Post, "/api/encounters", new { patientId = patient["id"]!.ToString(), reason = "Chaos" });
            if (encounter is null) continue;
            var id = encounter["id"]!.ToString();
            _acknowledged.Add(("encounter_planned", id));
            if (await Send(clinic, "receptionist", HttpMethod.Post, $"/api/encounters/{id}/check-in", null) is null) continue;
            _acknowledged.Add(("patient_checked_in", id));
            if (await Send(clinic, "nurse", HttpMethod.Get, $"/api/encounters/{id}", null) is not null) Interlocked.Increment(ref _chartReads);
            for (var pulse = 60; pulse < 63 && DateTime.UtcNow < stop; pulse++)
            {
                if (await Send(clinic, "nurse", HttpMethod.Post, $"/api/encounters/{id}/vitals", new { pulse }) is null) break;
                _acknowledged.Add(("vital_signs_recorded", $"{id}|{pulse}"));
            }
        }
    }

    private async Task<JsonNode?> Send(Clinic clinic, string role, HttpMethod method, string path, object? body)
    {
        var key = Guid.NewGuid().ToString("N");
        var json = body is null ? null : JsonSerializer.Serialize(body);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var url = _urls[(uint)Interlocked.Increment(ref _next) % _urls.Length];
            using var request = new HttpRequestMessage(method, url + path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", clinic.Token(role));
            request.Headers.Add("X-Tenant-ID", clinic.Tenant);
            request.Headers.Add("X-Facility-ID", clinic.Facility);
            if (method != HttpMethod.Get) request.Headers.Add("Idempotency-Key", key);
            if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            Interlocked.Increment(ref _attempts);
            var retryAfter = TimeSpan.Zero;
            try
            {
                using var response = await _http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode) return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text);
                _seen.AddOrUpdate(status.ToString(), 1, (_, n) => n + 1);
                if (status == 500) _samples.Add($"500 on {method} {path}: {text[..Math.Min(300, text.Length)]}");
                var retryable = status >= 500 || (status == 409 && text.Contains("idempotency.in_progress"));
                if (!retryable)
                {
                    _samples.Add($"{status} on {method} {path}: {text[..Math.Min(300, text.Length)]}");
                    return null;
                }
                retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
                if (status == 503 && response.Headers.RetryAfter is null) _seen.AddOrUpdate("503 without Retry-After", 1, (_, n) => n + 1);
            }
            catch (HttpRequestException e)
            {
                _seen.AddOrUpdate($"connection error ({e.HttpRequestError})", 1, (_, n) => n + 1);
            }
            catch (TaskCanceledException)
            {
                _seen.AddOrUpdate("client timeout (15 s)", 1, (_, n) => n + 1);
            }

            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                Interlocked.Increment(ref _givenUp);
                _samples.Add($"gave up on {method} {path} after {attempt} attempts");
                return null;
            }
            var backoff = TimeSpan.FromMilliseconds(Math.Min(1000, 50 * attempt) + Random.Shared.Next(50));
            await Task.Delay(retryAfter > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(retryAfter.Ticks, TimeSpan.FromSeconds(2).Ticks)) : backoff);
        }
    }

    /// <summary>Each acknowledged write, found in mt_events: (lost, duplicated, stored but never acknowledged).</summary>
    private async Task<(int, int, int)> Verify()
    {
        var stored = new Dictionary<(string, string), int>();
        await using var db = NpgsqlDataSource.Create(_db);
        await using var cmd = db.CreateCommand(
            "select type, stream_id::text, data::text from encounters.mt_events where tenant_id like 'chaos-%' and type = any($1)");
        cmd.Parameters.AddWithValue(Types);
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync())
            {
                var (type, stream, data) = (reader.GetString(0), reader.GetString(1), JsonNode.Parse(reader.GetString(2))!.AsObject());
                var key = type switch
                {
                    "patient_registered" => Property(data, "fullName")?.ToString() ?? "",
                    "vital_signs_recorded" => $"{stream}|{Property(Property(data, "vitals")!.AsObject(), "pulse")}",
                    _ => stream,
                };
                stored[(type, key)] = stored.GetValueOrDefault((type, key)) + 1;
            }

        var acknowledged = _acknowledged.ToHashSet();
        var lost = acknowledged.Count(a => stored.GetValueOrDefault(a) == 0);
        var duplicated = stored.Count(s => s.Value > 1);
        var unacknowledged = stored.Keys.Count(k => !acknowledged.Contains(k));
        foreach (var a in acknowledged.Where(a => stored.GetValueOrDefault(a) != 1).Take(5))
            _samples.Add($"{a.Type} {a.Key} stored {stored.GetValueOrDefault(a)} times");
        return (lost, duplicated, unacknowledged);
    }

    private static JsonNode? Property(JsonObject o, string name) =>
        o.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
