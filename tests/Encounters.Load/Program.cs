// The clinic's morning rush, over real HTTP against a running service: virtual users walk whole visits
// (register → plan → check-in → vitals → consult → SOAP → order → collect → receive → enter → verify →
// release → acknowledge → close) with about one read per write, across tenants and facilities.
// Prints a Markdown table and writes JSON; checks afterwards that every acknowledged write is stored.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Encounters.Load;
using Npgsql;

// `--chaos`: make chaos's retrying clients over several nodes (ChaosRun); `--preload N`: empty vs N preloaded visits in
// one run (PreloadComparison); otherwise the benchmark.
// `--floor-serve`: the reference floor's service (FloorServer); `--floor-bench`: its levels (FloorRun).
if (args.Contains("--chaos")) return await new ChaosRun(args).ExecuteAsync();
if (args.Contains("--floor-serve")) return await FloorServer.RunAsync(args);
var options = Options.Parse(args);
if (options.Floor) return await new BenchRun(options).ExecuteFloorAsync();
return Options.Arg(args, "preload", "0") != "0" ? await new PreloadComparison(options, args).ExecuteAsync() : await new BenchRun(options).ExecuteAsync();

namespace Encounters.Load
{
    public sealed record Options(string Url, string SigningKey, int[] Levels, int Seconds, int Tenants, string Database, string Out,
        int ServicePid, int PostmasterPid, double PgbenchTps4, double PgbenchTps16, double ColdStartMs, bool Floor, string FloorJson,
        int WarmUpSeconds)
    {
        public static string Arg(string[] args, string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        public static Options Parse(string[] args)
        {
            string Arg(string name, string fallback) => Options.Arg(args, name, fallback);

            return new Options(Arg("url", "http://127.0.0.1:5090"), Arg("key", ""),
                Arg("levels", "4,16,64").Split(',').Select(int.Parse).ToArray(), int.Parse(Arg("seconds", "30")),
                int.Parse(Arg("tenants", "3")), Arg("db", ""), Arg("out", "artifacts/bench/latest.json"), int.Parse(Arg("pid", "0")), int.Parse(Arg("pg-pid", "0")),
                double.Parse(Arg("pgbench4", "0")), double.Parse(Arg("pgbench16", "0")), double.Parse(Arg("cold-start-ms", "0")),
                args.Contains("--floor-bench"), Arg("floor-json", ""), int.Parse(Arg("warm-up-seconds", "0")));
        }
    }

    /// <summary>Latencies and outcomes of one load level.</summary>
    public sealed class Recorder
    {
        public readonly ConcurrentDictionary<string, ConcurrentBag<double>> Latency = new();
        public readonly ConcurrentDictionary<string, int> Acknowledged = new(); // "tenant|kind" → 2xx writes
        public readonly ConcurrentBag<string> Errors = [];
        public readonly ConcurrentBag<double> ProjectionLag = [];
        public long Writes, Reads, Visits;

        public void Record(string kind, bool write, double ms)
        {
            Latency.GetOrAdd(kind, _ => []).Add(ms);
            if (write) Interlocked.Increment(ref Writes);
            else Interlocked.Increment(ref Reads);
        }
    }

    /// <summary>One tenant and facility, with a user of each role.</summary>
    public sealed class Clinic(string tenant, string facility, string key)
    {
        public string Tenant => tenant;
        public string Facility => facility;
        private readonly Dictionary<string, string> _tokens = new[]
        {
            ("receptionist", "rec"), ("nurse", "nur"), ("clinician", "doc"), ("lab_technician", "tec"), ("lab_supervisor", "sup"),
            ("facility_admin", "adm"),
        }.ToDictionary(r => r.Item1, r => global::Encounters.Security.DevTokens.Issue(key, $"{r.Item2}-{facility}", r.Item1, [r.Item1], tenant,
            [facility], TimeSpan.FromHours(2)));

        public string Token(string role) => _tokens[role];
    }

    public sealed class Api(HttpClient http, Recorder recorder, Clinic clinic)
    {
        /// <summary>With <paramref name="scheduled"/> (open loop) the latency counts from the slot, so queueing is not hidden.</summary>
        public async Task<JsonNode?> Send(string role, HttpMethod method, string url, object? body, string kind, string? ifMatch = null,
            DateTime? scheduled = null)
        {
            var write = method != HttpMethod.Get;
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", clinic.Token(role));
            request.Headers.Add("X-Tenant-ID", clinic.Tenant);
            request.Headers.Add("X-Facility-ID", clinic.Facility);
            if (write) request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            recorder.Record(kind, write, scheduled is { } slot ? (DateTime.UtcNow - slot).TotalMilliseconds
                : Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                recorder.Errors.Add($"{method} {kind} → {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
                return null;
            }

            if (write) recorder.Acknowledged.AddOrUpdate($"{clinic.Tenant}|{kind}", 1, (_, n) => n + 1);
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
    }

    /// <summary>One virtual user: whole visits, one after another, with a read after each write.</summary>
    public sealed class VirtualUser(Api api, Random random, Func<Task<DateTime?>> pace)
    {
        private static readonly string[] SerumTests = ["GLU", "CRP", "K", "NA", "CREAT", "TSH"];
        private static readonly Dictionary<string, (string Code, decimal Normal, decimal Critical)> Values = new()
        {
            ["GLU"] = ("2345-7", 92m, 620m), ["CRP"] = ("1988-5", 3m, 3m), ["K"] = ("2823-3", 4.2m, 6.9m), ["NA"] = ("2951-2", 140m, 118m),
            ["CREAT"] = ("2160-0", 0.9m, 7.5m), ["TSH"] = ("3016-3", 1.8m, 1.8m),
        };

        private async Task<JsonNode?> Write(string role, string url, object? body, string kind, string? readAfter = null, string? ifMatch = null)
        {
            var result = await api.Send(role, HttpMethod.Post, url, body, kind, ifMatch, await pace());
            if (readAfter is not null) await api.Send(role, HttpMethod.Get, readAfter, null, ReadKind(readAfter));
            return result;
        }

        private static string ReadKind(string url) =>
            url.Contains("/timeline") ? "read timeline" : url.Contains("/worklist") ? "read worklist" : url.Contains("/tasks") ? "read tasks"
            : "read encounter";

        public async Task<bool> Visit()
        {
            var now = DateTimeOffset.UtcNow.ToString("O");
            var patient = await Write("receptionist", "/api/patients",
                new { fullName = $"Patient {random.Next(1_000_000)}", dateOfBirth = "1980-05-17", sex = random.Next(2) == 0 ? "female" : "male" },
                "register patient");
            if (patient is null) return false;
            var encounter = await Write("receptionist", "/api/encounters", new { patientId = patient["id"]!.ToString(), reason = "Fever" },
                "plan encounter");
            if (encounter is null) return false;
            var e = $"/api/encounters/{encounter["id"]}";
            if (await Write("receptionist", $"{e}/check-in", null, "check-in", e) is null) return false;
            if (await Write("nurse", $"{e}/vitals", new { systolicBp = 128, diastolicBp = 82, pulse = 76, temperatureC = 37.1, spO2 = 98 },
                    "vitals", "/api/tasks") is null) return false;
            if (await Write("clinician", $"{e}/start-consult", null, "start consult", e) is null) return false;
            foreach (var section in new[] { "subjective", "objective" })
                if (await Write("clinician", $"{e}/documentation/{section}", new { text = $"{section} findings" }, "document", e) is null) return false;

            var tests = SerumTests.OrderBy(_ => random.Next()).Take(random.Next(2, 4)).ToArray();
            var order = await Write("clinician", "/api/orders",
                new { encounterId = encounter["id"]!.ToString(), priority = "routine", items = tests.Select(t => new { serviceCode = t }).ToArray() },
                "place order", $"{e}/timeline");
            if (order is null) return false;
            var items = order["items"]!.AsArray().Select(i => i!["itemId"]!.ToString()).ToArray();
            var sample = await Write("nurse", "/api/lab/samples", new { orderId = order["id"]!.ToString(), itemIds = items, collectedAt = now },
                "collect sample", "/api/lab/worklist?stage=to-receive");
            if (sample is null) return false;
            if (await Write("lab_technician", $"/api/lab/samples/{sample["id"]}/receive",
                    new { barcode = sample["barcode"]!.ToString(), receivedAt = DateTimeOffset.UtcNow.ToString("O") }, "receive sample",
                    "/api/lab/worklist?stage=to-result") is null) return false;

            var codes = await ItemCodes(order["id"]!.ToString());
            var critical = new List<string>();
            foreach (var (item, test) in codes)
            {
                var isCritical = random.NextDouble() < 0.1 && Values[test].Critical != Values[test].Normal;
                var value = isCritical ? Values[test].Critical : Values[test].Normal;
                var entered = await Write("lab_technician", "/api/lab/results",
                    new { orderItemId = item, analytes = new[] { new { code = Values[test].Code, value } } }, "enter result", "/api/lab/worklist?stage=to-verify");
                if (entered is null) return false;
                // Four eyes: verify and release name the version the person reviewed.
                var verified = await Write("lab_supervisor", $"/api/lab/results/{item}/verify", null, "verify result", "/api/tasks",
                    $"\"{entered["version"]}\"");
                if (verified is null) return false;
                if (await Write("lab_technician", $"/api/lab/results/{item}/release", null, "release result", e, $"\"{verified["version"]}\"") is null)
                    return false;
                if (isCritical) critical.Add(item);
            }

            foreach (var item in critical)
                if (await Write("clinician", $"/api/lab/results/{item}/acknowledge", new { note = "Acted on" }, "acknowledge critical", e) is null)
                    return false;
            if (await Write("clinician", $"{e}/documentation/assessment", new { text = "Assessment" }, "document", e) is null) return false;
            if (await Write("clinician", $"{e}/documentation/plan", new { text = "Plan" }, "document", $"{e}/timeline") is null) return false;
            return await Write("clinician", $"{e}/close", new { disposition = "discharged" }, "close encounter", e) is not null;
        }

        private async Task<List<(string Item, string Test)>> ItemCodes(string orderId)
        {
            var view = await api.Send("clinician", HttpMethod.Get, $"/api/orders/{orderId}", null, "read order");
            return view?["items"]!.AsArray().Select(i => (i!["itemId"]!.ToString(), i["serviceCode"]!.ToString())).ToList() ?? [];
        }
    }
}
