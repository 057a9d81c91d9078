using System.Collections.Concurrent;
using System.Reflection;
using Marten.Linq.Members;
using Marten.Schema;

namespace Encounters;

/// <summary>
/// Writes a batch of documents that are written once per event and never changed (audit entries, timeline entries, a stream's patient) as
/// one multi-row insert in the projection's transaction, where Marten's session issues a statement per document: they are
/// the most frequent writes there are (make bench, issue 18). The statement follows Marten's own mapping of the type (its
/// table, its serializer, the columns <see cref="IndexedColumns"/> gave it), so queries and rebuilds read the rows as
/// usual. A document already written (a batch replayed after a crash) stays as it is: it is the same fact.
/// </summary>
public static class FactRows
{
    private sealed record Shape(string Sql, DuplicatedField[] Columns);

    private static readonly ConcurrentDictionary<Type, Shape> Shapes = new();

    public static void Queue<T>(IDocumentOperations operations, string tenantId, IReadOnlyList<T> documents, Func<T, Guid> id)
        where T : notnull
    {
        if (documents.Count == 0) return;
        var options = operations.DocumentStore.Options;
        var shape = Shapes.GetOrAdd(typeof(T), type => ShapeOf((DocumentMapping)options.FindOrResolveDocumentType(type)));
        var serializer = options.Serializer();
        object[] values =
        [
            tenantId, typeof(T).FullName!, documents.Select(id).ToArray(), documents.Select(d => serializer.ToJson(d)).ToArray(),
            .. shape.Columns.Select(column => ArrayOf(documents, column)),
        ];
        operations.QueueSqlCommand(shape.Sql, values);
    }

    private static Shape ShapeOf(DocumentMapping mapping)
    {
        var columns = mapping.DuplicatedFields.ToArray();
        var names = string.Concat(columns.Select(c => ", " + c.ColumnName));
        var sql = $"insert into {mapping.TableName.QualifiedName} (tenant_id, id, data, mt_version, mt_dotnet_type, mt_last_modified{names}) " +
            $"select ?, r.id, r.data::jsonb, gen_random_uuid(), ?, transaction_timestamp(){string.Concat(columns.Select(c => ", r." + c.ColumnName))} " +
            $"from unnest(?::uuid[], ?::text[]{string.Concat(columns.Select(c => $", ?::{c.PgType}[]"))}) as r(id, data{names}) " +
            "on conflict (tenant_id, id) do nothing";
        return new(sql, columns);
    }

    // An array of the member's own type (nullable), so that Npgsql sends the array its column expects; times in UTC.
    private static Array ArrayOf<T>(IReadOnlyList<T> documents, DuplicatedField column) where T : notnull
    {
        var member = (PropertyInfo)column.Members.Single();
        var elementType = Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType;
        var array = Array.CreateInstance(elementType.IsValueType ? typeof(Nullable<>).MakeGenericType(elementType) : elementType, documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            var value = member.GetValue(documents[i]);
            array.SetValue(value is DateTimeOffset at ? at.ToUniversalTime() : value, i);
        }
        return array;
    }
}
