using System.Collections;

namespace Encounters.Lab;

/// <summary>
/// Turnaround figures of one facility's tests (or imaging procedures) of one code and priority ordered in one hour or one
/// UTC day: how many are not cancelled, and a histogram of each stage's minutes. Reports read these instead of every
/// order, so a year's report costs at most (days × codes × priorities) documents, whatever the history.
/// </summary>
public sealed class TurnaroundTally
{
    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public string FacilityId { get; set; } = "";
    public DateTimeOffset Start { get; set; }
    public int Hours { get; set; }
    public string Code { get; set; } = "";
    public OrderPriority Priority { get; set; }
    public int Items { get; set; }
    public List<MinutesHistogram> Stages { get; set; } = [];

    /// <summary>The tallies an item counts in: the hour it was ordered in, and the day.</summary>
    public static IEnumerable<TurnaroundTally> For(string kind, TurnaroundSample sample) =>
        new[] { 1, 24 }.Select(hours =>
        {
            var start = hours == 1 ? Hour(sample.OrderedAt) : Day(sample.OrderedAt);
            return new TurnaroundTally
            {
                Id = $"{kind}|{sample.FacilityId}|{hours}|{start:yyyyMMddHH}|{sample.Code}|{sample.Priority}", Kind = kind,
                FacilityId = sample.FacilityId, Start = start, Hours = hours, Code = sample.Code, Priority = sample.Priority,
            };
        });

    public void Count(TurnaroundSample sample, int sign)
    {
        Items += sign;
        while (Stages.Count < sample.Minutes.Length) Stages.Add(new MinutesHistogram());
        for (var stage = 0; stage < sample.Minutes.Length; stage++)
            if (sample.Minutes[stage] is { } minutes) Stages[stage].Count(minutes, sign);
    }

    /// <summary>
    /// The tallies of orders placed in [from, to), the window widened to whole hours: the hours up to the first midnight and
    /// after the last one, whole days between. At most 2 × 23 hours and 366 days per code and priority.
    /// </summary>
    public static async Task<IReadOnlyList<TurnaroundTally>> InWindowAsync(IQuerySession session, string kind, string facilityId,
        DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var (firstHour, endHour) = (Hour(from), Hour(to) < to ? Hour(to).AddHours(1) : Hour(to));
        var (firstDay, endDay) = (Day(firstHour) < firstHour ? Day(firstHour).AddDays(1) : firstHour, Day(endHour));
        if (firstDay >= endDay) (firstDay, endDay) = (endHour, endHour);
        return await session.Query<TurnaroundTally>()
            .Where(t => t.FacilityId == facilityId && t.Kind == kind && t.Start >= firstHour && t.Start < endHour
                && ((t.Hours == 24 && t.Start >= firstDay && t.Start < endDay) || (t.Hours == 1 && (t.Start < firstDay || t.Start >= endDay))))
            .ToListAsync(ct);
    }

    /// <summary>One row per code and priority with an item not cancelled, each stage's histograms merged.</summary>
    public static IEnumerable<(string Code, OrderPriority Priority, List<MinutesHistogram> Stages)> Rows(IEnumerable<TurnaroundTally> tallies, int stages) =>
        tallies.GroupBy(t => (t.Code, t.Priority))
            .Where(g => g.Sum(t => t.Items) > 0)
            .OrderBy(g => g.Key.Code, StringComparer.Ordinal).ThenBy(g => g.Key.Priority)
            .Select(g => (g.Key.Code, g.Key.Priority, Enumerable.Range(0, stages)
                .Select(stage => MinutesHistogram.Merge(g.Where(t => t.Stages.Count > stage).Select(t => t.Stages[stage]))).ToList()));

    private static DateTimeOffset Hour(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private static DateTimeOffset Day(DateTimeOffset at) => new(at.ToUniversalTime().Date, TimeSpan.Zero);

    public static void Configure(StoreOptions opts)
    {
        IndexedColumns.Store<TurnaroundTally>(opts, x => x.FacilityId, x => x.Kind, x => x.Start);
        opts.Schema.For<TurnaroundTally>()
            .Index([x => x.FacilityId, x => x.Kind, x => x.Start], i => i.TenancyScope = Marten.Schema.Indexing.Unique.TenancyScope.PerTenant);
    }
}

/// <summary>One item's place in the tallies: where it was ordered, what, how urgently, and each stage's minutes so far.</summary>
public sealed record TurnaroundSample(Guid Item, string FacilityId, DateTimeOffset OrderedAt, string Code, OrderPriority Priority, double?[] Minutes)
{
    public static double? Between(DateTimeOffset? start, DateTimeOffset? end) =>
        start is { } s && end is { } e ? (e - s).TotalMinutes : null;

    public bool SameAs(TurnaroundSample other) => other with { Minutes = Minutes } == this && Minutes.SequenceEqual(other.Minutes);
}

/// <summary>
/// Minutes in fixed logarithmic buckets (each 10% wider than the last), with the exact count, minimum and maximum. A
/// percentile interpolates between the values estimated at its two closest ranks, as over the exact values; the smallest
/// and largest are exact (until one of them is taken out), so one or two values give exact figures, and any other estimate
/// is within its bucket (±5%).
/// </summary>
public sealed class MinutesHistogram
{
    private const double Ratio = 1.1;

    public int Total { get; set; }
    public double Min { get; set; }
    public double Max { get; set; }
    public Dictionary<int, int> Buckets { get; set; } = [];

    public void Count(double minutes, int sign)
    {
        if (sign > 0) (Min, Max) = Total == 0 ? (minutes, minutes) : (Math.Min(Min, minutes), Math.Max(Max, minutes));
        Total += sign;
        var bucket = Bucket(minutes);
        Buckets[bucket] = Buckets.GetValueOrDefault(bucket) + sign;
        if (Buckets[bucket] == 0) Buckets.Remove(bucket);
        // A value taken out (a cancelled item, a recollected sample) may have been the extreme: the buckets bound it now.
        if (sign < 0 && Total > 0 && minutes <= Min) Min = Math.Max(Min, Lower(Buckets.Keys.Min()));
        if (sign < 0 && Total > 0 && minutes >= Max) Max = Math.Min(Max, Upper(Buckets.Keys.Max()));
    }

    public StageTimes Times()
    {
        var values = new Estimates(this);
        return new StageTimes(TurnaroundEndpoint.Percentile(values, 0.5), TurnaroundEndpoint.Percentile(values, 0.9), Total);
    }

    public static MinutesHistogram Merge(IEnumerable<MinutesHistogram> parts)
    {
        var merged = new MinutesHistogram();
        foreach (var part in parts.Where(p => p.Total > 0))
        {
            (merged.Min, merged.Max) = merged.Total == 0 ? (part.Min, part.Max) : (Math.Min(merged.Min, part.Min), Math.Max(merged.Max, part.Max));
            merged.Total += part.Total;
            foreach (var (bucket, count) in part.Buckets) merged.Buckets[bucket] = merged.Buckets.GetValueOrDefault(bucket) + count;
        }
        return merged;
    }

    private static int Bucket(double minutes) => minutes <= 0 ? 0 : 1 + (int)Math.Floor(Math.Log(1 + minutes, Ratio));

    private static double Lower(int bucket) => bucket == 0 ? double.MinValue : Math.Pow(Ratio, bucket - 1) - 1;

    private static double Upper(int bucket) => bucket == 0 ? 0 : Math.Pow(Ratio, bucket) - 1;

    /// <summary>The sorted values as the buckets estimate them: each bucket's values spread evenly across it.</summary>
    private sealed class Estimates(MinutesHistogram histogram) : IReadOnlyList<double>
    {
        public int Count => histogram.Total;

        public double this[int index]
        {
            get
            {
                if (index == 0) return histogram.Min;
                if (index == Count - 1) return histogram.Max;
                var before = 0;
                foreach (var (bucket, count) in histogram.Buckets.OrderBy(b => b.Key))
                {
                    if (index < before + count)
                    {
                        var (low, high) = (Math.Max(Lower(bucket), histogram.Min), Math.Min(Upper(bucket), histogram.Max));
                        return Math.Clamp(low + (index - before + 0.5) / count * (high - low), histogram.Min, histogram.Max);
                    }
                    before += count;
                }
                return histogram.Max;
            }
        }

        public IEnumerator<double> GetEnumerator() => Enumerable.Range(0, Count).Select(i => this[i]).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
