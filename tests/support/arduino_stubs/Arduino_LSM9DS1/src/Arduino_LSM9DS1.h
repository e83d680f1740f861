/* Compile-only stand-in for Arduino_LSM9DS1: the API the generated examples use. Returns no data. */
#ifndef ARDUINO_LSM9DS1_STUB_H
#define ARDUINO_LSM9DS1_STUB_H

class StubIMU {
public:
    int begin() { return 1; }
    void end() {}
    int accelerationAvailable() { return 1; }
    int readAcceleration(float &x, float &y, float &z) { x = 0.0f; y = 0.0f; z = 1.0f; return 1; }
    float accelerationSampleRate() { return 119.0f; }
};

static StubIMU IMU;

#endif
