; Inno Setup source: installs the PyInstaller one-folder build with a Start menu entry and the
; mailto: handler. Build the folder first (packaging/build.sh on Windows, or pyinstaller with
; packaging/liaison.spec), then compile this file with ISCC.exe.
#define AppName "Liaison"
#define AppVersion "0.1.0"
#define AppId "io.github.liaisoncrm.Liaison"
#define BuildDir "..\..\build\pyinstaller\dist\liaison"

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=The Liaison developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
LicenseFile=..\..\LICENSE
SetupIconFile=..\icons\liaison.ico
UninstallDisplayIcon={app}\liaison.exe
OutputBaseFilename=liaison-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "polish"; MessagesFile: "compiler:Languages\Polish.isl"

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\liaison.exe"
Name: "{group}\{#AppName} (demo mailbox)"; Filename: "{app}\liaison.exe"; Parameters: "--demo"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"

[Registry]
; Registers Liaison as a mail client so Windows can offer it for mailto: links.
Root: HKA; Subkey: "Software\Clients\Mail\{#AppName}"; ValueType: string; ValueName: ""; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Clients\Mail\{#AppName}\Capabilities"; ValueType: string; ValueName: "ApplicationName"; ValueData: "{#AppName}"
Root: HKA; Subkey: "Software\Clients\Mail\{#AppName}\Capabilities\URLAssociations"; ValueType: string; ValueName: "mailto"; ValueData: "Liaison.mailto"
Root: HKA; Subkey: "Software\RegisteredApplications"; ValueType: string; ValueName: "{#AppName}"; ValueData: "Software\Clients\Mail\{#AppName}\Capabilities"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Liaison.mailto"; ValueType: string; ValueName: ""; ValueData: "URL:MailTo Protocol"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Liaison.mailto\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\liaison.exe"" --compose ""%1"""

[Run]
Filename: "{app}\liaison.exe"; Description: "Open {#AppName}"; Flags: nowait postinstall skipifsilent
