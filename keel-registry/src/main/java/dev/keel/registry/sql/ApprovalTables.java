package dev.keel.registry.sql;

import java.sql.Connection;

/** The approval rows and the registry's on one transaction: an approval applies its change to the model's rows. */
public record ApprovalTables(JdbcApprovalStore approvals, JdbcModelStore models) {
    public ApprovalTables(Connection connection) {
        this(new JdbcApprovalStore(connection), new JdbcModelStore(connection));
    }
}
