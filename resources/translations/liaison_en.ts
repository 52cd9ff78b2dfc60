<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AppointmentDialog</name>
    <message numerus="yes">
        <source>%n week(s) before</source>
        <translation>
            <numerusform>%n week before</numerusform>
            <numerusform>%n weeks before</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) before</source>
        <translation>
            <numerusform>%n day before</numerusform>
            <numerusform>%n days before</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) before</source>
        <translation>
            <numerusform>%n hour before</numerusform>
            <numerusform>%n hours before</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) before</source>
        <translation>
            <numerusform>%n minute before</numerusform>
            <numerusform>%n minutes before</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecurrenceEditor</name>
    <message numerus="yes">
        <source>day(s)</source>
        <translation>
            <numerusform>day</numerusform>
            <numerusform>days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>week(s)</source>
        <translation>
            <numerusform>week</numerusform>
            <numerusform>weeks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>month(s)</source>
        <translation>
            <numerusform>month</numerusform>
            <numerusform>months</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>time(s)</source>
        <translation>
            <numerusform>time</numerusform>
            <numerusform>times</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NavigationTree</name>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReadingPane</name>
    <message numerus="yes">
        <source>%n picture(s) from the internet not shown, to protect your privacy.</source>
        <translation>
            <numerusform>%n picture from the internet not shown, to protect your privacy.</numerusform>
            <numerusform>%n pictures from the internet not shown, to protect your privacy.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message numerus="yes">
        <source>%n tracked email(s) stay in the CRM, regarding nothing.</source>
        <translation>
            <numerusform>%n tracked email stays in the CRM, regarding nothing.</numerusform>
            <numerusform>%n tracked emails stay in the CRM, regarding nothing.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n appointment(s) stay in the CRM, regarding nothing.</source>
        <translation>
            <numerusform>%n appointment stays in the CRM, regarding nothing.</numerusform>
            <numerusform>%n appointments stay in the CRM, regarding nothing.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n task(s) stay in the CRM, regarding nothing.</source>
        <translation>
            <numerusform>%n task stays in the CRM, regarding nothing.</numerusform>
            <numerusform>%n tasks stay in the CRM, regarding nothing.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n activity(ies) keep the address, which no record will have.</source>
        <translation>
            <numerusform>%n activity keeps the address, which no record will have.</numerusform>
            <numerusform>%n activities keep the address, which no record will have.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s) stay, without an account.</source>
        <translation>
            <numerusform>%n contact stays, without an account.</numerusform>
            <numerusform>%n contacts stay, without an account.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n opportunity(ies) stay, without an account.</source>
        <translation>
            <numerusform>%n opportunity stays, without an account.</numerusform>
            <numerusform>%n opportunities stay, without an account.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RegardingDialog</name>
    <message numerus="yes">
        <source>%n match(es) shown; Enter sets the highlighted one.</source>
        <translation>
            <numerusform>%n match shown; Enter sets it.</numerusform>
            <numerusform>%n matches shown; Enter sets the highlighted one.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncHistoryDialog</name>
    <message numerus="yes">
        <source>The newest %n sync(s)</source>
        <translation>
            <numerusform>The newest sync</numerusform>
            <numerusform>The newest %n syncs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message numerus="yes">
        <source>%n change(s) waiting</source>
        <translation>
            <numerusform>%n change waiting</numerusform>
            <numerusform>%n changes waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) to send</source>
        <translation>
            <numerusform>%n change to send</numerusform>
            <numerusform>%n changes to send</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ComposeAttachments</name>
    <message numerus="yes">
        <source>%n attachment(s), %1</source>
        <translation>
            <numerusform>%n attachment, %1</numerusform>
            <numerusform>%n attachments, %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MailCommands</name>
    <message numerus="yes">
        <source>%n message(s) deleted.</source>
        <translation>
            <numerusform>%n message deleted.</numerusform>
            <numerusform>%n messages deleted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n message(s) for good? They do not go to Deleted Items and cannot be brought back.</source>
        <translation>
            <numerusform>Delete %n message for good? It does not go to Deleted Items and cannot be brought back.</numerusform>
            <numerusform>Delete %n messages for good? They do not go to Deleted Items and cannot be brought back.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) copied to %1.</source>
        <translation>
            <numerusform>%n message copied to %1.</numerusform>
            <numerusform>%n messages copied to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) moved to %1.</source>
        <translation>
            <numerusform>%n message moved to %1.</numerusform>
            <numerusform>%n messages moved to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) moved to Junk Email.</source>
        <translation>
            <numerusform>%n message moved to Junk Email.</numerusform>
            <numerusform>%n messages moved to Junk Email.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) moved back to the Inbox.</source>
        <translation>
            <numerusform>%n message moved back to the Inbox.</numerusform>
            <numerusform>%n messages moved back to the Inbox.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n attachment(s) saved in %1</source>
        <translation>
            <numerusform>%n attachment saved in %1</numerusform>
            <numerusform>%n attachments saved in %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageListModel</name>
    <message numerus="yes">
        <source>Conversation of %n message(s)</source>
        <translation>
            <numerusform>Conversation of %n message</numerusform>
            <numerusform>Conversation of %n messages</numerusform>
        </translation>
    </message>
</context>
</TS>
