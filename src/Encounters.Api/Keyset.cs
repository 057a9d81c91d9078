using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Encounters;

/// <summary>
/// Keyset paging (<see cref="Paging.PageAsync{T}"/>): reads the OrderBy/ThenBy keys of a query, adds the id as the last
/// tie-break, and turns the last row of a page into a cursor (its key values) and a cursor back into a WHERE that starts
/// right after that row, written so the leading key bounds an index scan (k1 >= v1 and (k1 > v1 or ...)).
/// </summary>
public sealed class Keyset<T>
{
    private readonly IQueryable<T> _source;
    private readonly List<(LambdaExpression Key, bool Descending)> _keys;

    internal Keyset(IQueryable<T> source, List<(LambdaExpression, bool)> keys) => (_source, _keys) = (source, keys);

    /// <summary>The query's filter without its order (for a count).</summary>
    public IQueryable<T> Unordered => _source;

    /// <summary>Which list a cursor belongs to: a cursor of another list's keys is not read as this one's.</summary>
    private string Shape => Fnv(string.Join(",", _keys.Select(k => $"{k.Key.Body}{(k.Descending ? " desc" : "")}"))).ToString("x8");

    public IQueryable<T> Ordered()
    {
        IOrderedQueryable<T>? ordered = null;
        foreach (var (key, descending) in _keys)
        {
            var name = (ordered is null ? "OrderBy" : "ThenBy") + (descending ? "Descending" : "");
            var method = typeof(Queryable).GetMethods().Single(m => m.Name == name && m.GetParameters().Length == 2)
                .MakeGenericMethod(typeof(T), key.ReturnType);
            ordered = (IOrderedQueryable<T>)method.Invoke(null, [(IQueryable<T>?)ordered ?? _source, key])!;
        }
        return ordered ?? _source;
    }

    /// <summary>The rows after the cursor's row, in order; null when the cursor is not one of this list.</summary>
    public IQueryable<T>? After(JsonArray? cursor)
    {
        if (cursor is null || cursor.Count != _keys.Count + 1 || cursor[0]?.ToString() != Shape) return null;
        var row = Expression.Parameter(typeof(T), "row");
        Expression? predicate = null;
        for (var i = _keys.Count - 1; i >= 0; i--)
        {
            var (key, descending) = _keys[i];
            if (!TryValue(cursor[i + 1], key.ReturnType, out var value)) return null;
            var member = new Replace(key.Parameters[0], row).Visit(key.Body);
            var constant = Expression.Constant(value, key.ReturnType);
            var beyond = Compare(member, constant, descending ? ExpressionType.LessThan : ExpressionType.GreaterThan);
            var nullable = Nullable.GetUnderlyingType(key.ReturnType) is not null;
            var isNull = nullable || !key.ReturnType.IsValueType ? Expression.Equal(member, Expression.Constant(null, key.ReturnType)) : null!;
            var then = predicate ?? (Expression)Expression.Constant(false);
            predicate = (nullable, value, descending) switch
            {
                // PostgreSQL puts nulls last ascending and first descending.
                (true, null, false) => Expression.AndAlso(isNull, then),
                (true, null, true) => Expression.OrElse(Expression.Not(isNull), Expression.AndAlso(isNull, then)),
                (true, _, false) => Expression.OrElse(Expression.OrElse(beyond, isNull), Expression.AndAlso(Expression.Equal(member, constant), then)),
                (true, _, true) => Expression.OrElse(beyond, Expression.AndAlso(Expression.Equal(member, constant), then)),
                _ when predicate is null => beyond,
                _ => Expression.AndAlso(Compare(member, constant, descending ? ExpressionType.LessThanOrEqual : ExpressionType.GreaterThanOrEqual),
                    Expression.OrElse(beyond, predicate)),
            };
        }
        var after = new Keyset<T>(_source.Where(Expression.Lambda<Func<T, bool>>(predicate!, row)), _keys);
        return after.Ordered();
    }

    /// <summary>The cursor of a row: the document itself, or a row mapped from it that keeps the keys' property names.</summary>
    public string CursorOf(object row)
    {
        var values = new JsonArray(JsonValue.Create(Shape));
        foreach (var (key, _) in _keys)
            // Read through the key's property (t.CreatedAt, or the mapped row's of that name): compiling it cost a JIT per key and page.
            values.Add((key.Body is MemberExpression { Member: System.Reflection.PropertyInfo p, Expression: ParameterExpression }
                    ? (row is T ? p : row.GetType().GetProperty(p.Name)!).GetValue(row) : key.Compile().DynamicInvoke(row)) switch
            {
                null => null,
                DateTimeOffset at => JsonValue.Create(AsPostgres(at).ToString("O", CultureInfo.InvariantCulture)),
                Guid id => JsonValue.Create(id.ToString()),
                string text => JsonValue.Create(text),
                var number => JsonValue.Create(Convert.ToInt64(number, CultureInfo.InvariantCulture)),
            });
        return Keyset.Seal(values);
    }

    /// <summary>
    /// The instant as PostgreSQL reads the document's text (microseconds, the fraction rounded as its parser does:
    /// rint(strtod(fraction) * 1e6)), so the cursor's row compares equal to itself.
    /// </summary>
    private static DateTimeOffset AsPostgres(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        var micros = Math.Round(double.Parse("0." + fraction.ToString("D7", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) * 1e6,
            MidpointRounding.ToEven);
        return new DateTimeOffset(utc.Ticks - fraction + (long)micros * 10, TimeSpan.Zero);
    }

    private static bool TryValue(JsonNode? node, Type type, out object? value)
    {
        value = null;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (node is null) return target != type || !type.IsValueType;
        if (node is not JsonValue json) return false;
        try
        {
            value = target == typeof(DateTimeOffset) ? DateTimeOffset.Parse(json.GetValue<string>(), CultureInfo.InvariantCulture)
                : target == typeof(Guid) ? Guid.Parse(json.GetValue<string>())
                : target == typeof(string) ? json.GetValue<string>()
                : Convert.ChangeType(json.GetValue<long>(), target, CultureInfo.InvariantCulture);
            return true;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException or InvalidCastException)
        {
            return false;
        }
    }

    // C# has no > for strings: CompareTo is the form Marten translates to a SQL comparison.
    private static Expression Compare(Expression member, Expression constant, ExpressionType kind) =>
        member.Type == typeof(string)
            ? Expression.MakeBinary(kind, Expression.Call(member, typeof(string).GetMethod(nameof(string.CompareTo), [typeof(string)])!, constant),
                Expression.Constant(0))
            : Expression.MakeBinary(kind, member, constant);

    private static uint Fnv(string text) => text.Aggregate(2166136261u, (hash, c) => (hash ^ c) * 16777619u);

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

public static class Keyset
{
    private static readonly HashSet<string> Orderings = ["OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending"];

    /// <summary>The keys of an ordered query (its OrderBy/ThenBy calls, outermost last) and the id as the final tie-break.</summary>
    public static Keyset<T> Of<T>(IQueryable<T> ordered)
    {
        var keys = new List<(LambdaExpression, bool)>();
        var node = ordered.Expression;
        while (node is MethodCallExpression call && call.Method.DeclaringType == typeof(Queryable) && Orderings.Contains(call.Method.Name))
        {
            keys.Insert(0, ((LambdaExpression)((UnaryExpression)call.Arguments[1]).Operand, call.Method.Name.EndsWith("Descending")));
            node = call.Arguments[0];
        }
        if (typeof(T).GetProperty("Id") is { } id && !keys.Any(k => k.Item1.Body is MemberExpression { Member.Name: "Id" }))
        {
            var row = Expression.Parameter(typeof(T), "row");
            keys.Add((Expression.Lambda(Expression.Property(row, id), row), false));
        }
        return new Keyset<T>(ordered.Provider.CreateQuery<T>(node), keys);
    }

    /// <summary>The list (route, <see cref="Paging.ListOfRequest"/>) a cursor belongs to: another list's is refused with 400.</summary>
    private static string List => Paging.List.Value ?? "";

    // Not a secret: the seal finds a garbled or edited cursor (a forged one could only start a readable list elsewhere).
    private static readonly byte[] SealKey = Encoding.UTF8.GetBytes("encounters.keyset.cursor.v2");

    /// <summary>The cursor of a row: this list's name, the key values, and a seal over both.</summary>
    internal static string Seal(JsonArray values)
    {
        var payload = Encoding.UTF8.GetBytes(new JsonArray(JsonValue.Create(List), values).ToJsonString());
        var sealedBytes = payload.Concat(System.Security.Cryptography.HMACSHA256.HashData(SealKey, payload).Take(12)).ToArray();
        return Convert.ToBase64String(sealedBytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// A cursor's values, or null when the text is not a cursor of this list: bad base64, a broken seal (garbled or
    /// edited), another list's cursor, not a JSON array of scalars.
    /// </summary>
    public static JsonArray? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor) || cursor.Length > Requests.Limits.MaxCursor) return null;
        try
        {
            var text = cursor.Replace('-', '+').Replace('_', '/');
            var bytes = Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
            if (bytes.Length <= 12) return null;
            var payload = bytes[..^12];
            if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(bytes[^12..],
                    System.Security.Cryptography.HMACSHA256.HashData(SealKey, payload).AsSpan(0, 12))) return null;
            return JsonNode.Parse(payload) is JsonArray { Count: 2 } named && named[0]?.ToString() == List
                && named[1] is JsonArray { Count: > 1 } array && array.All(v => v is null or JsonValue)
                ? (JsonArray)array.DeepClone()
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
