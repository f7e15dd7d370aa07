import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Lets a client security group reach a server security group on one port, with both rules
 * created in the client's stack. CDK's `connections.allowTo` would create the client's egress
 * rule in the server's stack, which then depends on the client's stack: a cycle whenever the
 * client stack already depends on the server stack (application → data tier).
 *
 * @param client the client's security group (e.g. the application's)
 * @param server the server's security group (e.g. the database's)
 * @param port the server port
 * @param description why the rule exists
 */
export function allowClientToServer(client: ec2.ISecurityGroup, server: ec2.ISecurityGroup, port: ec2.Port, description: string): void {
  // remoteRule: CDK creates the ingress rule in the peer's (client's) stack.
  server.addIngressRule(client, port, description, true);
  // A peer given by id is not a construct, so the egress rule stays with the client group.
  client.addEgressRule(ec2.Peer.securityGroupId(server.securityGroupId), port, description);
}
