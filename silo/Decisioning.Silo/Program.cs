using Decisioning.Grains.Hosting;
using Decisioning.Simulations;

// Settings are read from beside the binary, whatever the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseOrleans(silo => silo.AddDecisioningSilo(builder.Configuration));
builder.Services.AddExternalDataProviders(builder.Configuration);
builder.Build().Run();
