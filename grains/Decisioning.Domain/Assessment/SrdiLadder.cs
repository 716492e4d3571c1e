using System.Collections.Immutable;

namespace Decisioning.Domain.Assessment;

/// <summary>
/// The order of the recognition ladder (MIIT's 创新型中小企业 → 专精特新中小企业 → 专精特新"小巨人",
/// with the municipal SRDI recognition between the first two steps). Every comparison of levels
/// goes through <see cref="Rank"/>: the enum's numbers are the contract's, not the ladder's.
/// </summary>
public static class SrdiLadder
{
    /// <summary>Every level the contract defines, lowest first; the rank of each is its index.</summary>
    public static readonly ImmutableArray<SrdiLevel> Levels =
        [SrdiLevel.None, SrdiLevel.InnovativeSme, SrdiLevel.Municipal, SrdiLevel.Provincial, SrdiLevel.NationalLittleGiant];

    /// <summary>The names of <see cref="Levels"/>, lowest first, for messages.</summary>
    public static readonly string Names = string.Join(", ", Levels);

    public static SrdiLevel Highest => Levels[^1];

    /// <summary>Whether the level is one the contract defines (not unspecified, not an unknown number).</summary>
    public static bool IsDefined(SrdiLevel level) => Levels.Contains(level);

    /// <summary>0 for <see cref="SrdiLevel.None"/>, one more for each step up the ladder.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For a level that is not on the ladder: a bug, since validation refuses it.</exception>
    public static int Rank(SrdiLevel level)
    {
        var rank = Levels.IndexOf(level);
        return rank >= 0 ? rank : throw new ArgumentOutOfRangeException(nameof(level), level, "not a level on the SRDI ladder");
    }

    /// <summary>The level of a rank (the inverse of <see cref="Rank"/>).</summary>
    public static SrdiLevel OfRank(int rank) => Levels[rank];

    /// <summary>For sorting figures that may carry <see cref="SrdiLevel.Unspecified"/> (a line opened by hand): that first, then the ladder.</summary>
    public static int SortKey(SrdiLevel level) => IsDefined(level) ? Rank(level) : -1;

    /// <summary>Whether <paramref name="level"/> is on the ladder and at <paramref name="minimum"/> or above.</summary>
    public static bool AtLeast(SrdiLevel level, SrdiLevel minimum) => IsDefined(level) && Rank(level) >= Rank(minimum);
}
