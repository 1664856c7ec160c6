package dev.plimsoll.server.internal;

/** Whether the server still admits work: false from the first moment of shutdown. */
public final class ServerState {
  private volatile boolean accepting = true;

  public boolean accepting() {
    return accepting;
  }

  public void stopAccepting() {
    accepting = false;
  }
}
