using Decisioning.Domain.Assessment;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Decisioning.Grains.Assessment;

/// <summary>
/// The champion model and the optional challenger, loaded and validated when the silo starts: a
/// model file with any problem stops the start with every problem named, rather than mis-deciding later.
/// </summary>
public sealed class DecisionModels : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly Lazy<(ScorecardModel Champion, ScorecardModel? Challenger)> _models;

    public DecisionModels(IOptions<ModelOptions> options, ILogger<DecisionModels> logger)
    {
        _models = new(() =>
        {
            var champion = ScorecardModel.LoadFile(Resolve(options.Value.Champion));
            var challenger = string.IsNullOrWhiteSpace(options.Value.Challenger) ? null : ScorecardModel.LoadFile(Resolve(options.Value.Challenger));
            logger.LogInformation("Champion model {Champion}; challenger in shadow: {Challenger}", champion.Version, challenger?.Version ?? "none");
            return (champion, challenger);
        });
    }

    public ScorecardModel Champion => _models.Value.Champion;

    public ScorecardModel? Challenger => _models.Value.Challenger;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DecisionModels), ServiceLifecycleStage.First, _ => Task.FromResult(_models.Value));

    private static string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
}
