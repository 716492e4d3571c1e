using System.Collections.Immutable;
using System.Reflection;

namespace Decisioning.Testing;

/// <summary>Domain records with every member set, for tests that no member is forgotten.</summary>
public static class Filled
{
    /// <summary>A domain record with every member set (lists of two), each to a value of its own.</summary>
    public static T Record<T>()
        where T : class
    {
        var n = 0;
        return (T)Fill(typeof(T), ref n);

        static object Fill(Type type, ref int n)
        {
            if (Nullable.GetUnderlyingType(type) is { } underlying)
            {
                return Fill(underlying, ref n);
            }

            if (type.IsEnum)
            {
                return Enum.GetValues(type).Cast<object>().Max()!;
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
            {
                var items = Array.CreateInstance(type.GetGenericArguments()[0], 2);
                items.SetValue(Fill(items.GetType().GetElementType()!, ref n), 0);
                items.SetValue(Fill(items.GetType().GetElementType()!, ref n), 1);
                var create = typeof(ImmutableArray).GetMethods().Single(m => m.Name == nameof(ImmutableArray.Create) && m.GetParameters() is [{ ParameterType.IsArray: true }]);
                return create.MakeGenericMethod(items.GetType().GetElementType()!).Invoke(null, [items])!;
            }

            n++;
            switch (Type.GetTypeCode(type))
            {
                case TypeCode.String: return $"s{n}";
                case TypeCode.Boolean: return true;
                case TypeCode.Int32: return n;
                case TypeCode.Int64: return (long)n;
                case TypeCode.Decimal: return n + 0.25m;
            }

            if (type == typeof(DateOnly))
            {
                return new DateOnly(2020, 1, 1).AddDays(n);
            }

            if (type == typeof(DateTimeOffset))
            {
                return new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(n);
            }

            var constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length)!;
            var parameters = constructor.GetParameters();
            var arguments = new object[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                arguments[i] = Fill(parameters[i].ParameterType, ref n);
            }

            var record = constructor.Invoke(arguments);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.SetMethod is { IsPublic: true } && !parameters.Any(p => p.Name == property.Name))
                {
                    property.SetValue(record, Fill(property.PropertyType, ref n));
                }
            }

            return record;
        }
    }
}
