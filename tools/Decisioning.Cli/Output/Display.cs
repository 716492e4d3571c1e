using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Decisioning.Contracts;
using Decisioning.Domain;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Decisioning.Cli.Output;

/// <summary>
/// How the contract's values read for people: amounts in yuan with the contract's currency, rates
/// in percent, instants in China Standard Time (the business calendar's), and enum values by the
/// contract's own names without their type prefix (LINE_STATUS_ACTIVE reads ACTIVE). No second
/// table of names: the names are the proto's, so a value added to the contract shows as it is named.
/// </summary>
internal static class Display
{
    private static readonly ConcurrentDictionary<System.Type, EnumNames> Names = new();

    /// <summary>Fen as yuan, e.g. 120000000 → 1,200,000.00.</summary>
    public static string Money(long minor) => (minor / 100m).ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>Fen as yuan with the currency, e.g. 1,200,000.00 CNY.</summary>
    public static string MoneyWithCurrency(long minor) => $"{Money(minor)} {Mapping.Currency}";

    /// <summary>Basis points as percent, e.g. 345 → 3.45%.</summary>
    public static string Rate(long bps) => (bps / 100m).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>Hundredths of a point, e.g. 1234 → 12.34.</summary>
    public static string Centipoints(long centipoints) => (centipoints / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>An instant in China Standard Time, to the second; empty when unset.</summary>
    public static string Time(Timestamp? at) => at is null
        ? ""
        : at.ToDateTimeOffset().ToOffset(BusinessCalendar.Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " CST";

    /// <summary>The contract's name of an enum value without its type's prefix; UNSPECIFIED reads as empty.</summary>
    public static string Name<T>(T value)
        where T : struct, System.Enum
    {
        var number = Convert.ToInt32(value, CultureInfo.InvariantCulture);
        return number == 0 ? "" : For(typeof(T)).Short(number);
    }

    /// <summary>
    /// The value named by <paramref name="text"/>: the contract's full name (PRODUCT_SRDI_E_LOAN),
    /// the name without the prefix (SRDI_E_LOAN), in any case and with '-' for '_' (srdi-e-loan).
    /// </summary>
    public static bool TryParse<T>(string text, out T value)
        where T : struct, System.Enum
    {
        var names = For(typeof(T));
        var wanted = text.Trim().Replace('-', '_').ToUpperInvariant();
        foreach (var (number, full) in names.Values)
        {
            if (number != 0 && (wanted == full || names.Prefix + wanted == full))
            {
                value = (T)System.Enum.ToObject(typeof(T), number);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The names a parameter of type <typeparamref name="T"/> accepts, for help and errors.</summary>
    public static string Choices<T>()
        where T : struct, System.Enum =>
        string.Join(", ", For(typeof(T)).Values.Where(v => v.Number != 0).Select(v => v.Name[For(typeof(T)).Prefix.Length..].ToLowerInvariant().Replace('_', '-')));

    private static EnumNames For(System.Type type) => Names.GetOrAdd(type, static t =>
    {
        var values = t.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (Number: Convert.ToInt32(f.GetValue(null), CultureInfo.InvariantCulture), Name: f.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? f.Name))
            .ToList();
        var unspecified = values.Single(v => v.Number == 0).Name;
        return new EnumNames(unspecified.EndsWith("UNSPECIFIED", StringComparison.Ordinal) ? unspecified[..^"UNSPECIFIED".Length] : "", values);
    });

    private sealed record EnumNames(string Prefix, List<(int Number, string Name)> Values)
    {
        public string Short(int number) =>
            Values.FirstOrDefault(v => v.Number == number).Name is { } name ? name[Prefix.Length..] : number.ToString(CultureInfo.InvariantCulture);
    }
}
