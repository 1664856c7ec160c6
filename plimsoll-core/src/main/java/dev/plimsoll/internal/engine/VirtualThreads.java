package dev.plimsoll.internal.engine;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual-thread factory on Java 21+, reached reflectively so that the library still compiles with
 * {@code --release 17} and runs on 17 (where the builder refuses VIRTUAL).
 */
final class VirtualThreads {
  private VirtualThreads() {}

  static ThreadFactory factory() {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builderClass = Class.forName("java.lang.Thread$Builder");
      MethodHandle ofVirtual =
          lookup.findStatic(
              Thread.class,
              "ofVirtual",
              MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
      MethodHandle factory =
          lookup.findVirtual(builderClass, "factory", MethodType.methodType(ThreadFactory.class));
      return (ThreadFactory) factory.invoke(ofVirtual.invoke());
    } catch (Throwable e) {
      throw new IllegalStateException("virtual threads are not available on this runtime", e);
    }
  }
}
