using System.Text.Json;
using System.Text.Json.Serialization;

namespace Encounters.Requests;

/// <summary>
/// Request JSON refuses, while it is read, what no field may hold: strings with NUL or other control
/// characters (PostgreSQL's jsonb refuses <c>\u0000</c>), strings beyond <see cref="Limits.MaxString"/>,
/// arrays beyond <see cref="Limits.MaxItems"/>. Each refusal is a JsonException, which the JSON binding
/// answers with 400 and the field's path. Writing is unchanged.
/// </summary>
public static class StrictJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new StrictStringConverter());
        options.Converters.Add(new BoundedArrayConverterFactory());
    }

    /// <summary>C0 controls other than tab, line feed and carriage return (and DEL).</summary>
    public static bool HasControlCharacters(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
            if ((c < ' ' && c is not ('\t' or '\n' or '\r')) || c == '\u007f') return true;
        return false;
    }

    private sealed class StrictStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException();
            var value = reader.GetString()!;
            // No message: the serializer then names the field (Path: $.x) for the 400.
            if (value.Length > Limits.MaxString || HasControlCharacters(value)) throw new JsonException();
            return value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    private sealed class BoundedArrayConverterFactory : JsonConverterFactory
    {
        // byte[] keeps its base64 form.
        public override bool CanConvert(Type typeToConvert) =>
            typeToConvert.IsArray && typeToConvert.GetArrayRank() == 1 && typeToConvert != typeof(byte[]);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(BoundedArrayConverter<>).MakeGenericType(typeToConvert.GetElementType()!))!;
    }

    private sealed class BoundedArrayConverter<T> : JsonConverter<T[]>
    {
        public override T[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException();
            var items = new List<T>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (items.Count == Limits.MaxItems) throw new JsonException();
                items.Add(JsonSerializer.Deserialize<T>(ref reader, options)!);
            }
            return [.. items];
        }

        public override void Write(Utf8JsonWriter writer, T[] value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var item in value) JsonSerializer.Serialize(writer, item, options);
            writer.WriteEndArray();
        }
    }
}
