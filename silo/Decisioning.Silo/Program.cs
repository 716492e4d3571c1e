using Decisioning.Grains.Hosting;
using Decisioning.Simulations;

// Settings are read from beside the binary, whatever the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseOrleans(silo =>
{
    silo.AddDecisioningSilo(builder.Configuration);
    if (builder.Configuration.GetValue<bool>($"{DecisioningClusterOptions.Section}:{nameof(DecisioningClusterOptions.Kubernetes)}"))
    {
        // The pod's name, namespace and address replace the endpoint settings, and silos whose pods
        // are gone are declared dead without waiting for probes (deploy/kubernetes/).
        silo.UseKubernetesHosting();
    }
});
builder.Services.AddExternalDataProviders(builder.Configuration);
builder.Build().Run();
